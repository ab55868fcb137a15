import { describe, expect, it } from 'vitest';
import { parseCniConfig } from '../../src/model/cni-config.js';
import { isDefaultDestination, nadDefaultRoutes } from '../../src/model/routes.js';

const routes = (o: object) => nadDefaultRoutes(parseCniConfig(JSON.stringify(o)));

describe('default routes of a NAD config', () => {
  it('finds 0.0.0.0/0 and ::/0 IPAM routes, dhcp and bridge isDefaultGateway', () => {
    expect(
      routes({
        type: 'macvlan',
        ipam: { type: 'static', routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0', gw: 'fd00::1' }, { dst: '10.0.0.0/8' }] },
      }).routes.map((r) => r.value),
    ).toEqual(['0.0.0.0/0', '::/0 via fd00::1']);
    expect(routes({ type: 'macvlan', ipam: { type: 'dhcp' } }).routes[0]).toMatchObject({
      source: 'dhcp-router',
      conditional: true,
    });
    expect(
      routes({ type: 'bridge', isDefaultGateway: true, ipam: { type: 'host-local', subnet: '10.1.0.0/24' } }).routes[0]!
        .source,
    ).toBe('bridge-default-gateway');
  });

  it('knows chains that keep the routes out of the main table', () => {
    const base = { type: 'macvlan', ipam: { type: 'dhcp' } };
    expect(routes({ cniVersion: '0.3.1', plugins: [base, { type: 'sbr' }] }).neutralizedBy?.type).toBe('sbr');
    expect(
      routes({ cniVersion: '0.3.1', plugins: [base, { type: 'route-override', flushgateway: true }] }).neutralizedBy
        ?.type,
    ).toBe('route-override');
    expect(routes({ cniVersion: '0.3.1', plugins: [base, { type: 'tuning' }] }).neutralizedBy).toBeUndefined();
  });

  it('ignores routes bound to another table and non-default destinations', () => {
    expect(
      routes({ type: 'macvlan', ipam: { type: 'static', routes: [{ dst: '0.0.0.0/0', table: 100 }] } }).routes,
    ).toEqual([]);
    expect(isDefaultDestination('0.0.0.0/1')).toBeUndefined();
    expect(isDefaultDestination('::/0')).toBe(6);
  });
});
