# Rempart application image: used by the migrate, web, worker and beat services of docker-compose.yml.
FROM python:3.11-slim

# The code runs from /app, where the data files it reads sit beside it (control catalogues,
# incident rules, dependency catalogue, templates, static files): the wheel `pip install .`
# puts in site-packages carries only the Python modules, so /app comes first on the path.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PYTHONPATH=/app
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 rempart
WORKDIR /app
COPY pyproject.toml README.md ./
COPY nis2 nis2
COPY controls controls
COPY dependencies dependencies
COPY incidents incidents
COPY reports reports
COPY locale locale
COPY manage.py ./
# The code stays owned by root, read-only for the application. The application user owns the
# directories it writes: a named volume mounted on /app/media takes that ownership on first use.
RUN pip install . \
    && DJANGO_DEBUG=1 python manage.py compilemessages --ignore=.venv \
    && DJANGO_DEBUG=1 STATIC_MANIFEST=1 STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/staticfiles \
    && chown -R rempart:rempart /app/media /app/staticfiles
USER rempart
EXPOSE 8000
CMD ["gunicorn", "nis2.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
