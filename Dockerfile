# AgentCop server image: `docker build -t agentcop .` then
#   docker run -p 3000:3000 -v agentcop-data:/data agentcop
# The first start on an empty volume prints the admin key once (docker logs), or takes
# AGENTCOP_BOOTSTRAP_KEY. Set DATABASE_URL to use PostgreSQL instead of the embedded PGlite.

# ---- build: compile TypeScript, then keep only production dependencies --------------------------
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the scanner uses the grammars' .wasm files, not native builds, and `prepare`
# would try to compile before the sources are copied.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY bin bin
COPY engine engine
COPY cli cli
COPY server server
COPY app app
COPY client client
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- run ---------------------------------------------------------------------------------------
FROM node:24-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    AGENTCOP_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The image's `node` user (uid 1000) owns the data volume and nothing else.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec form: node is PID 1 and receives SIGTERM itself, so `docker stop` shuts down gracefully.
CMD ["node", "bin/agentcop.js", "serve"]
