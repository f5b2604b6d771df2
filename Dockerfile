# The simulator as an image, for sharded sweeps on Kubernetes (deploy/kubernetes/sweep-job.yaml).
#   docker build -t flink-autoscaler-sim .
#   docker run --rm -v "$PWD/out:/results" flink-autoscaler-sim sweep /app/scenarios/backpressure.yaml \
#     --grid variant=tracking-on,tracking-off --replications 10 --out /results

# Build stage: the compiled code (sim/build.mjs: esbuild and tsc, both devDependencies).
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.types.json ./
COPY sim ./sim
COPY src ./src
# The build runs an hour of the seed scenario, its report included, for V8's code caches (dist/code-cache/).
COPY scenarios/backpressure.yaml ./scenarios/
RUN node sim/build.mjs

# Run stage: production dependencies only (--ignore-scripts: prepare would need esbuild) and dist/.
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY scenarios ./scenarios
COPY LICENSE NOTICE README.md ./
RUN chmod +x dist/cli.mjs && ln -s /app/dist/cli.mjs /usr/local/bin/flink-autoscaler-sim
USER node
ENTRYPOINT ["node", "/app/dist/cli.mjs"]
CMD ["--help"]
