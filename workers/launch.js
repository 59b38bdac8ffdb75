// pm2 entry point: `node workers/launch.js ROLE[+ROLE…] [args]`. Run from the compiled tree
// (dist/workers/launch.js, plain node) in production and from the sources under tsx
// (`node --import tsx workers/launch.js …`) in development and tests. A .js file so that
// pm2 does not look for ts-node. Several roles joined by "+" share one process.
const spec = process.argv[2] ?? '';
const roles = spec.split('+');
if (!spec || roles.some((role) => !/^[a-z-]+$/.test(role))) {
  console.error(`usage: workers/launch.js ROLE[+ROLE…] (got ${JSON.stringify(spec)})`);
  process.exit(2);
}
const ext = import.meta.url.endsWith('/dist/workers/launch.js') ? '.js' : '.ts';
try {
  if (roles.length === 1 && (roles[0] === 'store' || roles[0] === 'sandbox')) {
    // Not workers of the store: they run themselves.
    await import(`./${roles[0]}${ext}`);
  } else {
    // Tokens from the secrets file (config/secrets.ts), never from pm2's environment; each
    // value is registered so that no log line or stored error can carry it.
    const { loadSecretsInto, SecretsFileError } = await import(`../config/secrets${ext}`);
    const { registerSecret } = await import(`../connectors/redact${ext}`);
    try {
      for (const value of Object.values(loadSecretsInto(process.env).values)) registerSecret(value);
    } catch (error) {
      if (!(error instanceof SecretsFileError)) throw error;
      console.error(error.message);
      process.exit(78);
    }
    const { runWorkers } = await import(`./harness${ext}`);
    const modules = await Promise.all(roles.map((role) => import(`./${role}${ext}`)));
    const missing = roles.filter((_, i) => !modules[i].worker);
    if (missing.length > 0) {
      console.error(`workers/launch.js: no worker role ${missing.join(', ')}`);
      process.exit(2);
    }
    await runWorkers(modules.map((m) => m.worker));
  }
} catch (error) {
  console.error(error);
  process.exit(1);
}
