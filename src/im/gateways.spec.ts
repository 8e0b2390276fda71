import { replyElement as body } from '../soap/testing/wire';
import { buildXml } from '../soap/xml';
import { gatewayListRequest, gatewayRegisterRequest, readGatewayListResponse } from './gateways';

describe('readGatewayListResponse', () => {
  it('reads the wire-format example: type, domain, registration or null', () => {
    const gateways = readGatewayListResponse(
      body(`
        <IMGatewayListResponse xmlns="urn:zimbraIM">
          <service type="yahoo" domain="yahoo.example.com">
            <registration name="alice_y" state="online"/>
          </service>
          <service type="msn" domain="msn.example.com"/>
        </IMGatewayListResponse>`),
    );
    expect(gateways).toStrictEqual([
      { type: 'yahoo', domain: 'yahoo.example.com', registration: { name: 'alice_y', state: 'online' } },
      { type: 'msn', domain: 'msn.example.com', registration: null },
    ]);
  });

  it('reports a scheduled reconnect as reconnectInMs, a number', () => {
    const [gateway] = readGatewayListResponse(
      body(`<IMGatewayListResponse><service type="aol" domain="aol.example.com">
              <registration name="al" state="trying_to_connect" timeUntilNextConnect="30000"/>
            </service></IMGatewayListResponse>`),
    );
    expect(gateway.registration).toStrictEqual({ name: 'al', state: 'trying_to_connect', reconnectInMs: 30000 });
  });

  it.each([
    ['negative', '-5'],
    ['fractional', '1.5'],
    ['not a number', 'soon'],
    ['empty', ''],
  ])('leaves out a %s timeUntilNextConnect', (_name, value) => {
    const [gateway] = readGatewayListResponse(
      body(`<IMGatewayListResponse><service type="aol" domain="aol.example.com"><registration name="al" state="online" timeUntilNextConnect="${value}"/></service></IMGatewayListResponse>`),
    );
    expect(gateway.registration).toStrictEqual({ name: 'al', state: 'online' });
  });

  it('lower-cases the state and defaults a missing one to start', () => {
    const gateways = readGatewayListResponse(
      body(`<IMGatewayListResponse>
              <service type="yahoo" domain="y.example"><registration name="a" state=" BAD_AUTH "/></service>
              <service type="msn" domain="m.example"><registration name="b"/></service>
            </IMGatewayListResponse>`),
    );
    expect(gateways.map((g) => g.registration?.state)).toEqual(['bad_auth', 'start']);
  });

  it('is an empty list when the server has no interop gateways', () => {
    expect(readGatewayListResponse(body('<IMGatewayListResponse xmlns="urn:zimbraIM"/>'))).toEqual([]);
    expect(readGatewayListResponse({})).toEqual([]);
  });

  it('drops services without a type or domain and keeps the first of a repeated type', () => {
    const gateways = readGatewayListResponse(
      body(`<IMGatewayListResponse>
              <service domain="nameless.example"/>
              <service type="icq"/>
              <service type=" " domain="blank.example"/>
              <service type="yahoo" domain="first.example"/>
              <service type="yahoo" domain="second.example"><registration name="x" state="online"/></service>
            </IMGatewayListResponse>`),
    );
    expect(gateways).toStrictEqual([{ type: 'yahoo', domain: 'first.example', registration: null }]);
  });

  it('ignores the name attribute the documentation shows but the server never writes', () => {
    const [gateway] = readGatewayListResponse(
      body('<IMGatewayListResponse><service name="Yahoo!" type="yahoo" domain="yahoo.example.com"/></IMGatewayListResponse>'),
    );
    expect(gateway).toStrictEqual({ type: 'yahoo', domain: 'yahoo.example.com', registration: null });
  });
});

describe('gatewayListRequest', () => {
  it('is the bare request (which also registers the session as a listener)', () => {
    expect(buildXml(gatewayListRequest())).toBe('<IMGatewayListRequest xmlns="urn:zimbraIM"/>');
  });
});

describe('gatewayRegisterRequest', () => {
  it('op=reg carries name and password, escaped', () => {
    expect(buildXml(gatewayRegisterRequest('yahoo', { op: 'reg', name: 'alice_y', password: 'p&<"w' }))).toBe(
      '<IMGatewayRegisterRequest xmlns="urn:zimbraIM" op="reg" service="yahoo" name="alice_y" password="p&amp;&lt;&quot;w"/>',
    );
  });

  it('op=unreg and op=reconnect carry only the service', () => {
    expect(buildXml(gatewayRegisterRequest('msn', { op: 'unreg' }))).toBe('<IMGatewayRegisterRequest xmlns="urn:zimbraIM" op="unreg" service="msn"/>');
    expect(buildXml(gatewayRegisterRequest('msn', { op: 'reconnect' }))).toBe(
      '<IMGatewayRegisterRequest xmlns="urn:zimbraIM" op="reconnect" service="msn"/>',
    );
  });
});
