# syntax=docker/dockerfile:1
# One image per OneCard app, all from this file:
#   docker build --build-arg APP=card-issuance -t onecard/card-issuance .
# APP is one of: card-issuance, transit-validation, campus-card, wage-attendance, tuya-bridge.

# ---- build: every dev dependency, compile TypeScript to dist/ with swc ----
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install script is needed to compile (they hydrate the embedded Postgres binaries used only
# by `npm start`, set up Nx, and send telemetry), so none run. That includes the `node`
# devDependency's, which would fetch a Node 24 binary for npm scripts on machines with an older
# Node: without it npm links no node_modules/.bin/node, and this image's own Node 24 runs.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node tools/build.mjs

# ---- runtime: production dependencies and one app's compiled code ----
FROM node:24-slim AS runtime
ARG APP
# Fail the build, not the container, when APP is missing or misspelt.
RUN test -n "$APP" || (echo "build with --build-arg APP=<card-issuance|transit-validation|campus-card|wage-attendance|tuya-bridge|operator-console>" >&2; exit 1)
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional leaves out the embedded Postgres binaries (~100 MB, dev launcher only);
# nothing the apps load is optional. No install scripts are needed at run time either.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
# The app and the libraries it requires (relative paths inside dist/), nothing else.
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
RUN test -f "dist/apps/${APP}/src/main.js" || (echo "unknown APP '${APP}'" >&2; exit 1)
USER node
EXPOSE 3001 3002 3003 3004 3005 3006
# PORT overrides the app's default port (3001–3006 by app), as in the apps themselves.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=process.env.PORT||{'card-issuance':3001,'transit-validation':3002,'campus-card':3003,'wage-attendance':3004,'tuya-bridge':3005,'operator-console':3006}[process.env.APP];fetch('http://127.0.0.1:'+p+'/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
# exec: node becomes PID 1 and receives SIGTERM itself (Nest's shutdown hooks drain on it).
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
