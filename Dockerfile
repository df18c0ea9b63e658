# Rempart application image: used by the web, worker and beat services of docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
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
RUN pip install . \
    && DJANGO_DEBUG=1 python manage.py compilemessages --ignore=.venv \
    && DJANGO_DEBUG=1 STATIC_MANIFEST=1 python manage.py collectstatic --noinput \
    && chown -R rempart:rempart /app
USER rempart
EXPOSE 8000
CMD ["gunicorn", "nis2.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
