# One image for the web server (gunicorn) and the Celery workers.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STS_VAR_DIR=/var/lib/sts
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY sts ./sts
COPY core_tables ./core_tables
COPY transcripts ./transcripts
COPY uploads ./uploads
COPY certification ./certification
RUN pip install --no-cache-dir .
COPY . .
RUN mkdir -p /var/lib/sts && DJANGO_SECRET_KEY=build STS_PUBLIC_URL=https://build.invalid python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "sts.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
