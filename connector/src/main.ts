import {once} from 'node:events';
import {ConfigError, loadConfig} from './config/config.js';
import {createLogger} from './logging/logger.js';
import {createApp} from './http/app.js';
import {PRODUCT_VERSION} from './version.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({level: config.LOG_LEVEL, pretty: process.stdout.isTTY});
  const app = createApp({logger, version: PRODUCT_VERSION});
  const server = app.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({url: `http://${config.HOST}:${port}`}, `connector listening; health at http://${config.HOST}:${port}/healthz`);

  const shutdown = (signal: string) => {
    logger.info({signal}, 'shutting down');
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`connector failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
