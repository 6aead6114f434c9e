# salesopt in a container: the Streamlit app on port 8501, SQLite under /data by default,
# PostgreSQL when SALESOPT_DATABASE_URL names one (the image includes the postgres extra).
# Pango, HarfBuzz and DejaVu fonts are for the plan's PDF (WeasyPrint).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SALESOPT_DATA_DIR=/data

RUN apt-get update && apt-get install -y --no-install-recommends curl \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 salesopt && mkdir /data && chown salesopt /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY salesopt ./salesopt
RUN pip install --no-cache-dir -e '.[postgres]'
COPY . .

USER salesopt
EXPOSE 8501
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8501/_stcore/health || exit 1
CMD ["streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0"]
