# Heard for production: gunicorn serving the app, the same image runs the Celery worker and beat.

# Front-end assets come from npm (GOV.UK Frontend, htmx) and are compiled here, never from a CDN.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static ./static
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HEARD_VAR_DIR=/var/lib/heard
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home heard
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt .
COPY . .
COPY --from=assets /app/node_modules/govuk-frontend/dist ./node_modules/govuk-frontend/dist
COPY --from=assets /app/node_modules/htmx.org/dist ./node_modules/htmx.org/dist
COPY --from=assets /app/build ./build
# collectstatic connects to nothing; the settings only need values to load.
RUN SECRET_KEY=build-only REDIS_URL=redis://build-only:6379/0 python manage.py collectstatic --no-input -v0 \
 && mkdir -p /var/lib/heard/media && chown -R heard /var/lib/heard
USER heard
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "participation.wsgi"]
