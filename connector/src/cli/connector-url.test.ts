import fc from 'fast-check';
import {connectorUrl, defaultConnectorUrl} from './connector-url.js';

describe('where the CLI looks for the connector', () => {
  it('uses the service defaults when nothing is set', () => {
    expect(defaultConnectorUrl({})).toBe('http://127.0.0.1:3000');
  });

  it('follows PORT and HOST as the service reads them', () => {
    expect(defaultConnectorUrl({PORT: '8080'})).toBe('http://127.0.0.1:8080');
    expect(defaultConnectorUrl({PORT: '8080', HOST: 'localhost'})).toBe('http://localhost:8080');
    expect(defaultConnectorUrl({PORT: '8080', HOST: '::1'})).toBe('http://[::1]:8080');
  });

  it('reaches a service bound to all interfaces on loopback', () => {
    expect(defaultConnectorUrl({HOST: '0.0.0.0', PORT: '4000'})).toBe('http://127.0.0.1:4000');
    expect(defaultConnectorUrl({HOST: '::', PORT: '4000'})).toBe('http://127.0.0.1:4000');
  });

  it('keeps port 3000 when PORT names no port one could connect to', () => {
    for (const PORT of ['0', 'abc', '70000', '-1', ''])
      expect(defaultConnectorUrl({PORT})).toBe('http://127.0.0.1:3000');
  });

  it('lets --url win over CONNECTOR_URL, and CONNECTOR_URL over PORT', () => {
    const env = {CONNECTOR_URL: 'http://c.test:1', PORT: '9000'};
    expect(connectorUrl('http://u.test:2', env)).toBe('http://u.test:2');
    expect(connectorUrl(undefined, env)).toBe('http://c.test:1');
    expect(connectorUrl(undefined, {PORT: '9000'})).toBe('http://127.0.0.1:9000');
  });

  it('always names a parseable URL with the port from any valid PORT', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 65535}), (port) => {
        const url = new URL(defaultConnectorUrl({PORT: String(port)}));
        expect(url.port === '' ? 80 : Number(url.port)).toBe(port);
      }),
    );
  });
});
