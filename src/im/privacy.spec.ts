import { buildXml, child, parseXml } from '../soap/xml';
import { answersPrivacyRequest, getPrivacyListRequest, setPrivacyListRequest } from './privacy';

describe('getPrivacyListRequest', () => {
  it('asks for the default list without a name', () => {
    expect(buildXml(getPrivacyListRequest())).toBe('<IMGetPrivacyListRequest xmlns="urn:zimbraIM"/>');
  });

  it('names a list, escaped', () => {
    expect(buildXml(getPrivacyListRequest('work & "play"'))).toBe(
      '<IMGetPrivacyListRequest xmlns="urn:zimbraIM" name="work &amp; &quot;play&quot;"/>',
    );
  });
});

describe('setPrivacyListRequest', () => {
  it('writes the wire-format example: one item per rule, in the given order', () => {
    const xml = buildXml(
      setPrivacyListRequest({
        name: 'default',
        items: [
          { order: 1, action: 'allow', address: 'friend@spam.example' },
          { order: 2, action: 'deny', address: 'spam.example' },
        ],
      }),
    );
    expect(xml).toBe(
      '<IMSetPrivacyListRequest xmlns="urn:zimbraIM"><list name="default">' +
        '<item action="allow" order="1" addr="friend@spam.example"/>' +
        '<item action="deny" order="2" addr="spam.example"/>' +
        '</list></IMSetPrivacyListRequest>',
    );
  });

  it('keeps the required <list> for an empty list and leaves the name out for the default list', () => {
    expect(buildXml(setPrivacyListRequest({ items: [] }))).toBe('<IMSetPrivacyListRequest xmlns="urn:zimbraIM"><list/></IMSetPrivacyListRequest>');
  });

  it('round-trips through the parser as the upstream would read it', () => {
    const xml = buildXml(setPrivacyListRequest({ name: 'a<b', items: [{ order: 7, action: 'deny', address: 'x.example' }] }));
    const list = child(child(parseXml(xml), 'IMSetPrivacyListRequest'), 'list');
    expect(list).toEqual({ '@_name': 'a<b', item: [{ '@_action': 'deny', '@_order': '7', '@_addr': 'x.example' }] });
  });
});

describe('answersPrivacyRequest', () => {
  const list = (name: string) => ({ name, items: [] });

  it('takes the first list for the default request, whatever its real name', () => {
    expect(answersPrivacyRequest(undefined, list('default'))).toBe(true);
    expect(answersPrivacyRequest(undefined, list('strict'))).toBe(true);
  });

  it('takes only the list of that name for a named request', () => {
    expect(answersPrivacyRequest('work', list('work'))).toBe(true);
    expect(answersPrivacyRequest('work', list('default'))).toBe(false);
    expect(answersPrivacyRequest('work', list('Work'))).toBe(false);
  });
});
