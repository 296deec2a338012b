/** The web fetcher's address and URL rules (lib/net): which addresses are public, which URLs may be fetched. */
import { type AddressRange, classifyAddress, isPublicAddress } from '../../lib/net/ip-ranges';
import { checkUrl, parseAllowList } from '../../lib/net/url-policy';

const table: [string, AddressRange, string?][] = [
  // IPv4
  ['8.8.8.8', 'public'],
  ['93.184.216.34', 'public'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.15.255.255', 'public'],
  ['172.32.0.1', 'public'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  ['100.128.0.1', 'public'],
  ['169.254.169.254', 'link-local'],
  ['169.254.0.1', 'link-local'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  // IPv6
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['2001:0:4136:e378::1', 'reserved'],
  ['100::1', 'reserved'],
  ['::127.0.0.1', 'reserved'],
  ['64:ff9b:1::a00:1', 'private'],
  ['4000::1', 'reserved'],
  // IPv4 carried in IPv6: judged by the IPv4 address
  ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
  ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
  ['::ffff:169.254.169.254', 'link-local', '169.254.169.254'],
  ['::ffff:10.1.2.3', 'private', '10.1.2.3'],
  ['::ffff:8.8.8.8', 'public', '8.8.8.8'],
  ['64:ff9b::10.0.0.1', 'private', '10.0.0.1'],
  ['64:ff9b::a9fe:a9fe', 'link-local', '169.254.169.254'],
  ['64:ff9b::c0a8:101', 'private', '192.168.1.1'],
  ['64:ff9b::808:808', 'public', '8.8.8.8'],
  ['2002:c0a8:101::1', 'private', '192.168.1.1'],
  ['2002:7f00:1::', 'loopback', '127.0.0.1'],
  ['2002:808:808::1', 'public', '8.8.8.8'],
  // not addresses
  ['example.com', 'invalid'],
  ['010.0.0.1', 'invalid'],
  ['1.2.3.256', 'invalid'],
  ['1::2::3', 'invalid'],
  ['12345::', 'invalid'],
  ['1:2:3:4:5:6:7:8:9', 'invalid'],
];

describe('classifyAddress', () => {
  // Every row has three cells: jest hands a shorter row's missing one a `done` callback.
  it.each(table.map(([a, r, e]) => [a, r, e ?? '']))('%s is %s', (address, range, embedded) => {
    const result = classifyAddress(address);
    expect(result.range).toBe(range);
    if (embedded) expect(result.embedded).toBe(embedded);
    expect(isPublicAddress(address)).toBe(range === 'public');
  });

  it('tells the family of what it reads', () => {
    expect(classifyAddress('1.2.3.4').family).toBe(4);
    expect(classifyAddress('::ffff:1.2.3.4').family).toBe(6);
    expect(classifyAddress('nope').family).toBeUndefined();
  });
});

describe('checkUrl', () => {
  const none = parseAllowList([]);
  const refused = (url: string, allow = none) => {
    const verdict = checkUrl(url, allow);
    return verdict.ok ? undefined : verdict.reason;
  };

  it('takes http and https on ports 80 and 443', () => {
    for (const url of ['http://example.com/', 'https://example.com/x?y', 'http://example.com:443/', 'https://1.2.3.4/'])
      expect(refused(url)).toBeUndefined();
    const verdict = checkUrl('https://EXAMPLE.com./a#b', none);
    expect(verdict.ok && verdict.target).toMatchObject({ host: 'example.com', port: 443, allowListed: false });
  });

  it('refuses other schemes, credentials, other ports and non-URLs', () => {
    expect(refused('ftp://example.com/')).toMatch(/only http and https/);
    expect(refused('file:///etc/passwd')).toMatch(/only http and https/);
    expect(refused('gopher://127.0.0.1:6379/_INFO')).toMatch(/only http and https/);
    expect(refused('http://user:pw@example.com/')).toMatch(/credentials/);
    expect(refused('http://user@example.com/')).toMatch(/credentials/);
    expect(refused('http://example.com:8080/')).toMatch(/port 8080/);
    expect(refused('http://example.com:22/')).toMatch(/port 22/);
    expect(refused('not a url')).toMatch(/not a URL/);
  });

  it('reads numeric host spellings as the address they are', () => {
    for (const [url, host] of [
      ['http://2130706433/', '127.0.0.1'],
      ['http://0x7f.1/', '127.0.0.1'],
      ['http://[::ffff:7f00:1]/', '::ffff:7f00:1'],
    ]) {
      const verdict = checkUrl(url, none);
      expect(verdict.ok && verdict.target.host).toBe(host);
    }
  });

  it('allow-lists a host on its standard ports, a host:port, or a host on any port', () => {
    const allow = parseAllowList(['farm.test', '127.0.0.1:4000', 'crm.internal:*', '[::1]:5000', 'FE80::1']);
    expect(allow).toEqual([
      { host: 'farm.test', port: undefined },
      { host: '127.0.0.1', port: 4000 },
      { host: 'crm.internal', port: '*' },
      { host: '::1', port: 5000 },
      { host: 'fe80::1', port: undefined },
    ]);
    const listed = (url: string) => {
      const verdict = checkUrl(url, allow);
      return verdict.ok ? verdict.target.allowListed : verdict.reason;
    };
    expect(listed('http://farm.test/')).toBe(true);
    expect(listed('http://farm.test:8080/')).toMatch(/port 8080/);
    expect(listed('http://127.0.0.1:4000/')).toBe(true);
    expect(listed('http://127.0.0.1:4001/')).toMatch(/port 4001/);
    expect(listed('http://127.0.0.1/')).toBe(false);
    expect(listed('http://crm.internal:9999/hook')).toBe(true);
    expect(listed('http://[::1]:5000/')).toBe(true);
    expect(listed('http://[fe80:0::1]/')).toBe(true);
    expect(listed('http://example.com/')).toBe(false);
  });

  it('refuses a malformed allow-list entry instead of guessing', () => {
    expect(() => parseAllowList(['farm.test:99999'])).toThrow(/allow-list entry/);
    expect(() => parseAllowList(['http://farm.test/'])).toThrow(/allow-list entry/);
    expect(() => parseAllowList([''])).toThrow(/allow-list entry/);
  });
});
