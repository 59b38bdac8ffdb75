import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbeddedStoreError } from './errors.js';
import { CLASSES_DIR, EMBEDDED_DIR, LAUNCHER_SOURCE, LIB_DIR, POM_FILE } from './paths.js';

/** The jars that must be present after the Maven fetch; checked by name prefix. */
const REQUIRED_JARS = ['mongo-java-server-core-1.47.0', 'mongo-java-server-h2-backend-1.47.0', 'h2-'];

/** JAVA_HOME, when set, names the Java to use (as Maven does); otherwise the one on PATH. */
export function javaTool(name: 'java' | 'javac'): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', name) : name;
}

function commandVersion(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`.split('\n')[0]?.trim();
}

function requireTool(command: string, args: string[], remedy: string): string {
  const version = commandVersion(command, args);
  if (!version) throw new EmbeddedStoreError(`"${command}" was not found or does not run.`, remedy);
  return version;
}

function jarsPresent(): boolean {
  if (!fs.existsSync(LIB_DIR)) return false;
  const names = fs.readdirSync(LIB_DIR);
  return REQUIRED_JARS.every((prefix) => names.some((name) => name.startsWith(prefix) && name.endsWith('.jar')));
}

function launcherCompiled(): boolean {
  const compiled = path.join(CLASSES_DIR, 'Launcher.class');
  return fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= fs.statSync(LAUNCHER_SOURCE).mtimeMs;
}

export interface SetupReport {
  readonly fetchedJars: boolean;
  readonly compiledLauncher: boolean;
}

/**
 * Fetches mongo-java-server and its H2 backend with Maven (once) and compiles the
 * launcher (when its source changed). A second run does nothing.
 */
export function setupEmbeddedStore(log: (line: string) => void = () => {}): SetupReport {
  requireTool(javaTool('java'), ['-version'], `Install a Java runtime 17 or newer (e.g. \`apt-get install openjdk-17-jdk-headless\`)${process.env.JAVA_HOME ? ' or correct JAVA_HOME' : ''}, or set MONGODB_URI to use a real MongoDB instead.`);
  let fetchedJars = false;
  if (!jarsPresent()) {
    requireTool('mvn', ['-v'], 'Install Maven (e.g. `apt-get install maven`) so that setup can fetch the embedded store, or set MONGODB_URI to use a real MongoDB instead.');
    log('Fetching the embedded store (mongo-java-server 1.47.0, H2 backend) with Maven…');
    const result = spawnSync('mvn', ['-q', '-B', '-f', POM_FILE, 'dependency:copy-dependencies', `-DoutputDirectory=${LIB_DIR}`], {
      cwd: EMBEDDED_DIR,
      encoding: 'utf8',
    });
    if (result.status !== 0 || !jarsPresent()) {
      const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new EmbeddedStoreError(
        `Maven could not fetch the embedded store's jars into ${LIB_DIR}:\n${tail}`,
        'Check that Maven Central is reachable (or a mirror is set in ~/.m2/settings.xml), then run `npm run setup` again.',
      );
    }
    fetchedJars = true;
  }
  let compiledLauncher = false;
  if (!launcherCompiled()) {
    requireTool(javaTool('javac'), ['-version'], 'Install a Java development kit 17 or newer (javac), e.g. `apt-get install openjdk-17-jdk-headless`.');
    fs.mkdirSync(CLASSES_DIR, { recursive: true });
    const result = spawnSync(javaTool('javac'), ['-d', CLASSES_DIR, '-cp', path.join(LIB_DIR, '*'), LAUNCHER_SOURCE], { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new EmbeddedStoreError(`javac could not compile ${LAUNCHER_SOURCE}:\n${result.stderr}`, 'Check the Java installation (JDK 17 or newer), then run `npm run setup` again.');
    }
    compiledLauncher = true;
  }
  return { fetchedJars, compiledLauncher };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    if (process.env.MONGODB_URI) {
      console.log('MONGODB_URI is set: the embedded store is not needed, nothing to set up.');
    } else {
      const report = setupEmbeddedStore((line) => console.log(line));
      console.log(
        report.fetchedJars || report.compiledLauncher
          ? `Embedded store ready in ${EMBEDDED_DIR} (jars ${report.fetchedJars ? 'fetched' : 'reused'}, launcher ${report.compiledLauncher ? 'compiled' : 'reused'}).`
          : 'Embedded store already set up.',
      );
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
