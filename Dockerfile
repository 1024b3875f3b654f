# One image for every process: gateway, subgraphs, jobs and the one-shot migrate/seed.
# The command picks the process (see docker-compose.yml); the default runs the gateway.
FROM node:20-bookworm-slim

WORKDIR /app
RUN chown node:node /app
USER node

COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
EXPOSE 4000

CMD ["node", "--import", "tsx", "bin/gateway.ts"]
