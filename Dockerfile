# Tidings in a container: the production dependencies only, run as an unprivileged user,
# with the embedded database (or nothing, with PostgreSQL) in the /data volume.
#
#   docker build -t tidings .
#   docker run --env-file deploy/tidings.env -p 127.0.0.1:8080:8080 -v tidings-data:/data tidings
#
# docker-compose.yml runs it with PostgreSQL. A CLI command runs in the same container, as
# the same user and with the same settings, so it reaches the running service:
#   docker compose exec tidings node_modules/node/bin/node src/cli.ts users list
FROM node:24-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data

RUN groupadd --system --gid 10001 tidings \
 && useradd --system --uid 10001 --gid tidings --home-dir /data --shell /usr/sbin/nologin tidings \
 && install -d -o tidings -g tidings -m 0700 /data

WORKDIR /app

# Dependencies first, so a source change does not reinstall them. This brings the Node 24
# the lockfile pins (node_modules/node/bin/node, fetched by the node package's install
# script: no --ignore-scripts), which runs the TypeScript directly: the same Node the tests
# run on, whatever Node the base image carries.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

COPY bin ./bin
COPY src ./src
COPY sandbox ./sandbox

USER tidings
VOLUME ["/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM

# /readyz answers 200 while the database answers. The slim image has no curl: Node's fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/app/node_modules/node/bin/node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node itself, in exec form, not npm start: SIGTERM from docker stop goes straight to the
# process that handles it (in-flight requests finish, jobs stop, the database closes), and
# the exit status is Tidings' own.
# --liftoff-only: the embedded database's WebAssembly on V8's baseline compiler, so an idle
# server stays near 240 MB instead of 730 (see README, Benchmarks).
CMD ["/app/node_modules/node/bin/node", "--liftoff-only", "src/cli.ts", "start"]
