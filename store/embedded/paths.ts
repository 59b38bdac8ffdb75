import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where setup puts the jars (git-ignored) and the compiled launcher. */
export const EMBEDDED_DIR = here;
export const LIB_DIR = path.join(here, 'lib');
export const CLASSES_DIR = path.join(here, 'classes');
export const LAUNCHER_SOURCE = path.join(here, 'Launcher.java');
export const POM_FILE = path.join(here, 'pom.xml');
/** The file name inside the data folder; H2's MVStore keeps everything in it. */
export const DATA_FILE_NAME = 'otklik.mv.db';
export const LOG_FILE_NAME = 'store.log';
