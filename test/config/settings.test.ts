import { describe, expect, it } from '@jest/globals';
import { loadSettings, SettingsError } from '../../config/settings.js';

describe('settings from the environment', () => {
  it('gives the embedded store the JVM options an admin adds, in order', () => {
    expect(loadSettings({}, '/srv/otklik').storeJvmOptions).toEqual([]);
    expect(loadSettings({ OTKLIK_STORE_JVM_OPTIONS: ' -Xlog:gc:file=/var/log/otklik/gc.log  -XX:+UseParallelGC ' }, '/srv/otklik').storeJvmOptions)
      .toEqual(['-Xlog:gc:file=/var/log/otklik/gc.log', '-XX:+UseParallelGC']);
  });

  it('refuses a value that is not JVM options, naming the variable', () => {
    expect(() => loadSettings({ OTKLIK_STORE_JVM_OPTIONS: 'UseParallelGC' }, '/srv/otklik')).toThrow(SettingsError);
    expect(() => loadSettings({ OTKLIK_STORE_JVM_OPTIONS: '-Xmx1g; rm -rf /' }, '/srv/otklik')).toThrow(/environment variable OTKLIK_STORE_JVM_OPTIONS: JVM options separated by spaces/);
    expect(() => loadSettings({ OTKLIK_STORE_HEAP_MB: '12' }, '/srv/otklik')).toThrow(/environment variable OTKLIK_STORE_HEAP_MB/);
  });
});
