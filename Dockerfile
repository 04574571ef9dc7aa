# Production image. The build stage compiles src/ into dist/ (npm run build: prisma generate, then
# esbuild); the runtime stage holds dist/, the files read at run time and the production
# dependencies, and starts with plain node: nothing is generated or compiled when a container
# (re)starts. No step depends on a dependency's install script (--ignore-scripts): esbuild,
# argon2 and PGlite come as prebuilt packages, and the Prisma CLI never needs its engine here.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# The Prisma CLI offline (as prisma.config.ts sets): no engine download, no telemetry.
ENV CHECKPOINT_DISABLE=1 \
    PRISMA_SCHEMA_ENGINE_BINARY=/bin/true
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# `npm run build` runs `prisma generate` (src/generated/prisma), scripts/build.ts, and
# scripts/buildWeb.ts: the web app served at /app (and GraphiQL) into dist/web/, from the
# committed web/ sources and their generated documents (web/src/gql/).
RUN npm run build

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    CHECKPOINT_DISABLE=1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# dist/web/ is in it: production serves the wallet app at /app. The build fails without it.
RUN test -f dist/web/app.html
# Read at run time, relative to /app: migrations (applied on start), the KYC limits and the
# sanctions list (config/), and the partners' trusted documents.
COPY prisma/migrations ./prisma/migrations
COPY config ./config
COPY partners ./partners
# DATA_DIR for the embedded database, when the image runs without DATABASE_URL.
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `node dist/migrate.js` applies pending migrations without starting the server.
CMD ["node", "--enable-source-maps", "dist/main.js"]
