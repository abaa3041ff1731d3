# recapql: a read-only GraphQL API whose image carries its own store, seeded at build time.
# Build: docker build -t recapql:0.1.0 .
# Run:   docker run --rm -p 8000:8000 --read-only --tmpfs /tmp recapql:0.1.0

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY recapql ./recapql
COPY schema ./schema
COPY resolvers ./resolvers
COPY store ./store
COPY seed ./seed
# The wheel users would install from an index (hatchling's explicit package list: all five
# packages, nothing else), not the source tree.
RUN python -m pip wheel --no-deps --wheel-dir /src/dist .
# A virtual environment holding that wheel and its dependencies (at the versions the tests ran,
# from constraints.txt) but no pip or setuptools (the base image's pip installs into it), so the
# runtime image carries no installer to patch.
RUN python -m venv --without-pip /opt/recapql && python -m pip --python /opt/recapql/bin/python install --constraint constraints.txt /src/dist/recapql-*.whl
# The store, built from the embedded seed and validated on the way: a bad seed fails the build, not the pod.
RUN /opt/recapql/bin/recapql seed --store /opt/recapql-data/store.json

FROM python:3.11-slim-bookworm
LABEL org.opencontainers.image.title="recapql" \
      org.opencontainers.image.description="A GraphQL API over the KubeCon + CloudNativeCon Europe 2018 recap" \
      org.opencontainers.image.version="0.1.0"
ENV PATH=/opt/recapql/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RECAPQL_STORE=/srv/recapql/store.json \
    RECAPQL_HOST=0.0.0.0 \
    RECAPQL_PORT=8000 \
    RECAPQL_ENV=production \
    RECAPQL_LOG_FORMAT=json
COPY --from=build /opt/recapql /opt/recapql
COPY --from=build /opt/recapql-data/store.json /srv/recapql/store.json
# Files stay root's (the server only reads them); the process runs as an unprivileged user.
RUN groupadd --system --gid 10001 recapql && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin recapql
USER 10001:10001
EXPOSE 8000
# slim images have no curl: the image's own Python asks /healthz (any error or non-2xx exits 1).
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['RECAPQL_PORT'] + '/healthz', timeout=2)"]
CMD ["recapql", "serve"]
