// pm2 entry point: `node --import tsx workers/launch.js ROLE [args]`. A .js file so that
// pm2 does not look for ts-node; tsx, loaded by --import, runs the TypeScript worker.
const role = process.argv[2];
if (!role || !/^[a-z-]+$/.test(role)) {
  console.error(`usage: workers/launch.js ROLE (got ${JSON.stringify(role)})`);
  process.exit(2);
}
import(`./${role}.ts`).catch((error) => {
  console.error(error);
  process.exit(1);
});
