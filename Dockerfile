# Frontbrief in a container: the third way to run it (after `make demo` and the Procfile).
# (METRICS_HOST=0.0.0.0: inside the container 127.0.0.1 would hide /metrics from the scraper.)
# docker build -t frontbrief . && docker run -e TELEGRAM_BOT_TOKEN=... -v frontbrief-data:/app/data frontbrief
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////app/data/frontbrief.db CACHE_DIR=/app/cache METRICS_PORT=9100 METRICS_HOST=0.0.0.0

WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN pip install -c requirements.lock . \
    && useradd --system --uid 10001 --home-dir /app frontbrief \
    && mkdir -p /app/data /app/cache \
    # the gazetteer is compiled once, here, not at every start
    && python -m bot prepare \
    && chown -R frontbrief /app/data /app/cache

USER frontbrief
VOLUME ["/app/data"]
EXPOSE 9100
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "-m", "bot", "healthcheck"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
