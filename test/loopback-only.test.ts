/**
 * The classifier of scripts/check-loopback-only.ts, on lines as `strace -f -yy` prints them: what it
 * must let through (loopback, Unix sockets, Chromium's UDP route lookup) and what it must report.
 * The script itself runs a UI run under strace (BENCHMARKS.md has its numbers).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classify, isLoopback } from '../scripts/check-loopback-only.ts';

const PROBE =
  '9072  connect(23<UDPv6:[[::]:39055]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0';

describe('check-loopback-only', () => {
  test('loopback addresses: 127.0.0.0/8, ::1 and 127.0.0.0/8 mapped into IPv6, nothing else', () => {
    for (const address of ['127.0.0.1', '127.45.0.9', '::1', '[::1]', '::ffff:127.0.0.1']) {
      assert.ok(isLoopback(address), address);
    }
    for (const address of [
      '128.0.0.1',
      '10.0.0.1',
      '2001:4860:4860::8888',
      '::',
      '::ffff:10.0.0.1',
      '1270.0.0.1',
    ]) {
      assert.ok(!isLoopback(address), address);
    }
  });

  test('lets loopback connections and their data through, and sockets that are no Internet sockets', () => {
    for (const line of [
      '9072  connect(25<TCP:[24446]>, {sa_family=AF_INET, sin_port=htons(43609), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
      '9072  write(25<TCP:[127.0.0.1:59762->127.0.0.1:43609]>, "hi", 2) = 2',
      '9072  sendto(31<UDPv6:[[::1]:5000->[::1]:5001]>, "x", 1, 0, NULL, 0) = 1',
      '8809  connect(5<UNIX:[4411]>, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 110) = 0',
      '8809  sendmsg(5<NETLINK:[9912]>, {msg_name=NULL}, 0) = 20',
      '8809  write(1</dev/pts/0>, "a line", 6) = 6',
    ]) {
      assert.equal(classify(line), undefined, line);
    }
  });

  test("counts Chromium's IPv6 probe, a UDP connect that sends nothing, as a route lookup", () => {
    assert.equal(classify(PROBE)?.kind, 'route-lookup');
  });

  test('reports a TCP connect, another UDP connect, and any data sent outside loopback', () => {
    for (const line of [
      '9072  connect(26<TCP:[24447]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("93.184.216.34")}, 16) = -1 EINPROGRESS (Operation now in progress)',
      '9072  connect(27<TCPv6:[24448]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
      '9072  connect(24<UDP:[0.0.0.0:40451]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("192.0.2.1")}, 16) = 0',
      '9072  sendto(23<UDPv6:[[2001:db8::2]:39055->[2001:4860:4860::8888]:443]>, "probe", 5, 0, NULL, 0) = 5',
      '9072  write(28<TCP:[10.0.0.2:40000->10.0.0.9:80]>, "GET /", 5) = 5',
      '9072  sendto(29<UDP:[0.0.0.0:40452]>, "q", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("8.8.8.8")}, 16) = 1',
    ]) {
      assert.equal(classify(line)?.kind, 'violation', line);
    }
  });
});
