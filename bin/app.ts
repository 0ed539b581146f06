/**
 * CDK entry (`npx cdk synth` / `deploy`). Reads and validates the authority's configuration
 * (`timescales.config.json`, or `-c config=path`), adds the two stacks and the cdk-nag packs.
 */
import { App } from 'aws-cdk-lib';
import { addNag, addTimescales } from '#lib/app.js';
import { ConfigError, loadConfig } from '#lib/config.js';

const app = new App();
const configPath =
  (app.node.tryGetContext('config') as string | undefined) ?? 'timescales.config.json';

try {
  const config = loadConfig(configPath);
  addTimescales(app, config);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

addNag(app);
app.synth();
