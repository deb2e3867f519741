import fc from 'fast-check';
import {
  CAMPAIGN_ID_PATTERN,
  campaignIdFromUrl,
  extractCampaignId,
  normaliseCampaignId,
} from './campaign-attribution.js';
import {guestOrder, paidOrder} from './fixtures/orders.js';

describe('extractCampaignId', () => {
  it('reads mc_cid from the landing site query', () => {
    expect(extractCampaignId(paidOrder)).toBe('839488a60b');
    expect(
      extractCampaignId({landingSite: 'https://shop.example/?utm_campaign=x&mc_cid=839488a60b#top', attributes: {}}),
    ).toBe('839488a60b');
  });

  it('prefers the attribute and lower-cases it', () => {
    expect(extractCampaignId(guestOrder)).toBe('355a72bfc3');
    expect(extractCampaignId({landingSite: '/?mc_cid=839488a60b', attributes: {_mc_cid: ' 355a72bfc3 '}})).toBe(
      '355a72bfc3',
    );
  });

  it('falls back to the landing site when the attribute is malformed', () => {
    expect(extractCampaignId({landingSite: '/?mc_cid=839488a60b', attributes: {mc_cid: '*|CAMPAIGN_UID|*'}})).toBe(
      '839488a60b',
    );
  });

  it('ignores utm parameters, other keys and malformed values', () => {
    expect(
      extractCampaignId({landingSite: '/?utm_source=mailchimp&utm_campaign=839488a60b', attributes: {}}),
    ).toBeUndefined();
    expect(extractCampaignId({landingSite: '/?mc_eid=839488a60b', attributes: {}})).toBeUndefined();
    expect(extractCampaignId({landingSite: '/?mc_cid=839488a60', attributes: {}})).toBeUndefined();
    expect(extractCampaignId({landingSite: '/?mc_cid=839488a60bz', attributes: {}})).toBeUndefined();
    expect(extractCampaignId({landingSite: '/?mc_cid=%E0%A4%A', attributes: {}})).toBeUndefined();
    expect(extractCampaignId({landingSite: '/products/x', attributes: {}})).toBeUndefined();
    expect(extractCampaignId({attributes: {}})).toBeUndefined();
  });

  it('skips an unusable mc_cid and takes the next one', () => {
    expect(campaignIdFromUrl('/?mc_cid=%ZZ&mc_cid=839488A60B')).toBe('839488a60b');
    expect(campaignIdFromUrl('/?MC_CID=839488a60b')).toBe('839488a60b');
  });
});

describe('campaign attribution properties', () => {
  it('never throws on arbitrary strings and only returns well-formed ids', () => {
    const str = fc.oneof(
      fc.string(),
      fc.string({unit: 'binary'}),
      fc.webUrl({withQueryParameters: true, withFragments: true}),
    );
    fc.assert(
      fc.property(str, fc.option(str, {nil: undefined}), fc.dictionary(str, str), (raw, landingSite, attributes) => {
        for (const result of [
          normaliseCampaignId(raw),
          campaignIdFromUrl(raw),
          extractCampaignId({landingSite, attributes}),
        ]) {
          if (result !== undefined) expect(result).toMatch(CAMPAIGN_ID_PATTERN);
        }
      }),
      {numRuns: 2000},
    );
  });

  it('finds any valid id wherever it sits in the query', () => {
    const hex10 = fc.string({unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 10, maxLength: 10});
    const param = fc
      .tuple(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string({maxLength: 8}))
      .filter(([k]) => k !== 'mc_cid');
    fc.assert(
      fc.property(hex10, fc.array(param, {maxLength: 3}), fc.array(param, {maxLength: 3}), (id, before, after) => {
        const encode = ([k, v]: [string, string]) => `${k}=${encodeURIComponent(v)}`;
        const url = `/landing?${[...before.map(encode), `mc_cid=${id}`, ...after.map(encode)].join('&')}`;
        expect(campaignIdFromUrl(url)).toBe(id.toLowerCase());
      }),
    );
  });
});
