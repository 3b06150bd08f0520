# sop worker image: `docker compose up` (docker-compose.yml) runs Redis and N of these.
# Multi-stage: the build stage has the dev dependencies (TypeScript, esbuild); the runtime stage
# only production ones and dist/. Runs as a non-root user on a read-only root file system
# (compose sets `read_only: true` and a tmpfs for /tmp, where bundles and runs in progress go).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/schemas ./schemas
COPY --from=build --chown=root:root /app/sops ./sops
# The `node` user of the official image (uid 1000): owns nothing in /app, writes only to /tmp.
USER node
ENV HOME=/tmp TMPDIR=/tmp XDG_CACHE_HOME=/tmp/.cache
ENTRYPOINT ["node", "/app/bin/sop.js"]
CMD ["worker", "--help"]
