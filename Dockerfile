# syntax=docker/dockerfile:1

# ---- build: full install (the postinstall generates the Prisma client), then compile src -> dist ----
FROM node:24-bookworm-slim AS build
WORKDIR /app

# What `npm ci` needs, the postinstall (`prisma generate`) included; copied before src so the
# dependency layer stays cached while only source changes. tsconfig.json matters to generate: the
# prisma-client generator picks the generated imports' extension from it (without it: `./x.ts`,
# which the compiled client then fails to require).
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
# The workspaces' manifests (sdk: the API client, console: the admin console) belong to the lockfile.
COPY sdk/package.json ./sdk/
COPY console/package.json ./console/
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

COPY .swcrc ./
COPY src ./src
# The console (Vite) builds into dist/console-app from its sources and the SDK's.
COPY sdk ./sdk
COPY console ./console
# swc also compiles the generated client (src/generated/prisma -> dist/generated/prisma), so the
# runtime stage needs neither the prisma CLI nor a generate step.
RUN npm run build

# ---- runtime: production dependencies, compiled code, migrations ----
FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000

# --ignore-scripts: the postinstall would run `prisma generate`, whose CLI is a devDependency.
# --omit=optional: otherwise npm still installs "devOptional" packages (the prisma CLI, typescript,
# react... optional peers of @prisma/client and @nestjs/swagger), ~250 MB nobody uses at run time.
# That also leaves out the one optional package the runtime needs, the password hasher's prebuilt
# binary (@node-rs/argon2-<platform>), so it comes from the build stage's `npm ci` of the same
# lockfile, built for this image's platform. (pg-cloudflare, also skipped, is for Cloudflare Workers.)
# Whatever dist/ requires at run time must be in "dependencies", the migration runner's
# @prisma/schema-engine-wasm included: the embedded database and MIGRATE_ON_START migrate at start-up.
# scripts/check-runtime-stage.js repeats these steps outside Docker and signs a user up (CI runs it).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/node_modules/@node-rs ./node_modules/@node-rs

# The app finds its root by walking up to package.json (src/common/project-root.ts) and reads
# prisma/schema.prisma and prisma/migrations from there at start-up, so /app keeps the repo layout.
# dist/ holds the built admin console too (dist/console-app, served at /console): plain files, no
# workspace package is needed at run time.
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma

# The embedded database (used when DATABASE_URL is unset) writes under /app/.data; mount a volume
# there to keep it. Everything else stays root-owned and read-only for the node user.
RUN mkdir -p .data && chown node:node .data
USER node

EXPOSE 3000
# Liveness only: readiness (database reachable) is for the orchestrator's traffic decisions, and a
# restart would not fix a database outage. No curl in the slim image, so node does the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/api/v1/health/live',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]

# Same command as `npm start`: a 4 MB young generation keeps the resident set ~30 MB smaller, which the
# 200 MB budget needs (re-measured for issue #15: 230-234 MB without it); a 1 GB old generation keeps
# V8's heap growth under 2x its live size, where on a large machine it chose up to 4x in some
# processes (316-412 MB resident under load). docs/architecture.md, "Runtime flags".
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=1024", "dist/main.js"]
