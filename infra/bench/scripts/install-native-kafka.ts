/**
 * `npm run bench:install-native-kafka -w @waymark/bench [-- --force]`: builds
 * `@confluentinc/kafka-javascript` (librdkafka) into the bench's private directory in the stack's
 * cache dir, once; `npm run bench` does the same when its `kafka` bench runs. See
 * src/kafka-native-install.ts.
 */
import {
  ensureNativeKafka,
  NATIVE_KAFKA,
  NativeKafkaInstallError,
  nativeKafkaDir,
} from '../src/kafka-native-install.js';

const USAGE = `usage: npm run bench:install-native-kafka -w @waymark/bench [-- --force]
  installs ${NATIVE_KAFKA.name}@${NATIVE_KAFKA.version} for the Kafka client bench into
  ${nativeKafkaDir()}
  --force   rebuild even if an earlier build completed there`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--force');
  if (unknown.length > 0) {
    console.error(`install-native-kafka: unknown argument ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  try {
    const installed = await ensureNativeKafka((line) => console.log(line), {
      force: argv.includes('--force'),
    });
    console.log(
      `${installed.package}@${installed.version} (librdkafka ${installed.librdkafka}) ` +
        `${installed.builtNow ? 'built' : `already built on ${installed.builtAt}`} in ` +
        `${installed.buildSeconds} s: ${installed.dir}`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof NativeKafkaInstallError)) throw err;
    console.error(`install-native-kafka: ${err.message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
