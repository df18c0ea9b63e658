"""Migrate the provider's database, then serve it on 127.0.0.1 on a port the system picks, written to a file."""

import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application


class RequestHandler(WSGIRequestHandler):
    # Headers and body leave in separate writes: without this, the client's delayed ACK costs 40 ms a request.
    disable_nagle_algorithm = True


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port-file", required=True, help="written with the port once the server listens")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=0, help="0: any free port")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("migrate", verbosity=0, interactive=False)
        server = ThreadedWSGIServer((options["host"], options["port"]), RequestHandler)
        server.set_app(get_wsgi_application())
        port_file = Path(options["port_file"])
        # Written whole then renamed: the reader never sees half a number.
        partial = port_file.with_name(port_file.name + ".partial")
        partial.write_text(str(server.server_address[1]))
        os.replace(partial, port_file)
        self.stdout.write(f"OIDC provider listening on http://{options['host']}:{server.server_address[1]}/o")
        self.stdout.flush()
        try:
            server.serve_forever()
        finally:
            server.server_close()
