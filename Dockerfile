FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN DJANGO_SETTINGS_MODULE=peerlearn.settings.prod SECRET_KEY=build ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 peerlearn && mkdir -p /app/media && chown peerlearn /app/media
USER peerlearn
EXPOSE 8000
CMD ["gunicorn", "peerlearn.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
