import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The jars and the launcher live beside the sources (store/embedded), also when this module
// runs compiled from dist/store/embedded: setup fetches them once, for both.
const compiled = path.dirname(fileURLToPath(import.meta.url));
const here = compiled.split(path.sep).includes('dist') ? path.resolve(compiled, '..', '..', '..', 'store', 'embedded') : compiled;

/** Where setup puts the jars (git-ignored) and the compiled launcher. */
export const EMBEDDED_DIR = here;
export const LIB_DIR = path.join(here, 'lib');
export const CLASSES_DIR = path.join(here, 'classes');
export const LAUNCHER_SOURCE = path.join(here, 'Launcher.java');
export const POM_FILE = path.join(here, 'pom.xml');
/** The file name inside the data folder; H2's MVStore keeps everything in it. */
export const DATA_FILE_NAME = 'otklik.mv.db';
export const LOG_FILE_NAME = 'store.log';
