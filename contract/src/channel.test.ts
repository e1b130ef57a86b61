import { describe, expect, it } from 'vitest';
import { searchSite, sourceKind } from './channel/sources.js';
import { classifyChannel, isDirect, isInternalReferrer, touchSource } from './channel.js';
import type { Channel } from './wire.js';

const SITE = 'https://shop.example.com/landing';

/** [what, landing URL, referrer, expected channel, expected source?, expected medium?] */
type Row = [string, string, string, Channel, string?, string?];

const rows: Row[] = [
  // Direct: no tagging, no external referrer.
  ['no params, no referrer', SITE, '', 'direct', '(direct)', '(none)'],
  ['bare path', 'https://shop.example.com/', '', 'direct', '(direct)', '(none)'],
  ['unrelated params', `${SITE}?page=2&sort=asc`, '', 'direct', '(direct)', '(none)'],
  ['internal referrer, same host', SITE, 'https://shop.example.com/cart', 'direct', '(direct)'],
  ['internal referrer, www sibling', SITE, 'https://www.example.com/', 'direct', '(direct)'],
  ['internal referrer, subdomain', SITE, 'https://blog.example.com/post', 'direct', '(direct)'],
  ['internal referrer, co.uk', 'https://a.shop.co.uk/', 'https://b.shop.co.uk/x', 'direct'],
  ['internal referrer with port', 'http://localhost:3000/a', 'http://localhost:3000/b', 'direct'],
  ['only utm_campaign', `${SITE}?utm_campaign=spring`, '', 'direct', '(direct)', '(none)'],
  ['empty utm values', `${SITE}?utm_source=&utm_medium=`, '', 'direct', '(direct)'],
  ['hash without params', `${SITE}#reviews`, '', 'direct'],

  // Organic search.
  ['google referrer', SITE, 'https://www.google.com/', 'organic', 'google', 'organic'],
  ['google country referrer', SITE, 'https://www.google.co.uk/', 'organic', 'google', 'organic'],
  ['google .de referrer', SITE, 'https://www.google.de/', 'organic', 'google', 'organic'],
  ['google .com.au referrer', SITE, 'https://www.google.com.au/', 'organic', 'google'],
  ['bing referrer', SITE, 'https://www.bing.com/search?q=x', 'organic', 'bing', 'organic'],
  ['yahoo referrer', SITE, 'https://search.yahoo.com/', 'organic', 'yahoo', 'organic'],
  ['duckduckgo referrer', SITE, 'https://duckduckgo.com/', 'organic', 'duckduckgo', 'organic'],
  ['baidu referrer', SITE, 'https://www.baidu.com/', 'organic', 'baidu', 'organic'],
  ['yandex referrer', SITE, 'https://yandex.ru/search', 'organic', 'yandex', 'organic'],
  ['ecosia referrer', SITE, 'https://www.ecosia.org/', 'organic', 'ecosia', 'organic'],
  ['naver referrer', SITE, 'https://search.naver.com/', 'organic', 'naver', 'organic'],
  ['seznam referrer', SITE, 'https://search.seznam.cz/', 'organic', 'seznam', 'organic'],
  ['qwant referrer', SITE, 'https://www.qwant.com/', 'organic', 'qwant', 'organic'],
  ['brave search referrer', SITE, 'https://search.brave.com/', 'organic', 'brave'],
  [
    'google app referrer',
    SITE,
    'android-app://com.google.android.googlequicksearchbox/',
    'organic',
    'google',
  ],
  ['utm_medium=organic', `${SITE}?utm_source=partnersearch&utm_medium=organic`, '', 'organic'],
  ['utm_source=google, no medium', `${SITE}?utm_source=google`, '', 'organic', 'google', ''],
  ['utm_source=bing, medium organic', `${SITE}?utm_source=bing&utm_medium=organic`, '', 'organic'],

  // Paid: search, social, shopping, video, other.
  ['utm cpc from google', `${SITE}?utm_source=google&utm_medium=cpc`, '', 'paid', 'google', 'cpc'],
  ['utm ppc from bing', `${SITE}?utm_source=bing&utm_medium=ppc`, '', 'paid', 'bing', 'ppc'],
  ['utm paidsearch', `${SITE}?utm_source=google&utm_medium=paidsearch`, '', 'paid'],
  ['utm paid_social facebook', `${SITE}?utm_source=facebook&utm_medium=paid_social`, '', 'paid'],
  ['utm cpc instagram', `${SITE}?utm_source=ig&utm_medium=cpc`, '', 'paid'],
  [
    'utm cpm facebook is paid social first',
    `${SITE}?utm_source=facebook&utm_medium=cpm`,
    '',
    'paid',
  ],
  ['utm retargeting', `${SITE}?utm_source=criteo&utm_medium=retargeting`, '', 'paid'],
  ['utm cpc from unknown source', `${SITE}?utm_source=adnet&utm_medium=cpc`, '', 'paid'],
  ['utm cpv youtube', `${SITE}?utm_source=youtube&utm_medium=cpv`, '', 'paid'],
  ['utm cpa', `${SITE}?utm_source=network&utm_medium=cpa`, '', 'paid'],
  ['paid shopping amazon', `${SITE}?utm_source=amazon&utm_medium=cpc`, '', 'paid'],
  [
    'paid shopping by campaign',
    `${SITE}?utm_source=x&utm_medium=paid&utm_campaign=shopping_q4`,
    '',
    'paid',
  ],
  [
    'cross-network campaign',
    `${SITE}?utm_source=google&utm_medium=x&utm_campaign=cross-network`,
    '',
    'paid',
  ],
  ['audio medium', `${SITE}?utm_source=spotify&utm_medium=audio`, '', 'paid'],
  [
    'paid google beats google referrer',
    `${SITE}?utm_source=google&utm_medium=cpc`,
    'https://www.google.com/',
    'paid',
  ],

  // Display.
  ['utm display', `${SITE}?utm_source=dv360&utm_medium=display`, '', 'display', 'dv360', 'display'],
  ['utm cpm', `${SITE}?utm_source=adsrv&utm_medium=cpm`, '', 'display', 'adsrv', 'cpm'],
  ['utm banner', `${SITE}?utm_source=news&utm_medium=banner`, '', 'display'],
  ['utm expandable', `${SITE}?utm_source=news&utm_medium=expandable`, '', 'display'],
  ['utm interstitial', `${SITE}?utm_source=news&utm_medium=interstitial`, '', 'display'],
  ['utm display from google', `${SITE}?utm_source=google&utm_medium=display`, '', 'display'],
  [
    'utm DISPLAY upper case',
    `${SITE}?utm_source=News&utm_medium=DISPLAY`,
    '',
    'display',
    'news',
    'display',
  ],

  // Social.
  ['facebook referrer', SITE, 'https://www.facebook.com/', 'social', 'facebook.com', 'referral'],
  ['facebook link shim', SITE, 'https://l.facebook.com/l.php', 'social', 'l.facebook.com'],
  ['facebook mobile', SITE, 'https://m.facebook.com/', 'social'],
  ['instagram referrer', SITE, 'https://l.instagram.com/', 'social'],
  ['t.co referrer', SITE, 'https://t.co/abc', 'social', 't.co'],
  ['x.com referrer', SITE, 'https://x.com/someone', 'social'],
  ['linkedin referrer', SITE, 'https://www.linkedin.com/feed/', 'social'],
  ['lnkd.in referrer', SITE, 'https://lnkd.in/abc', 'social'],
  ['reddit referrer', SITE, 'https://old.reddit.com/r/x', 'social'],
  ['pinterest referrer', SITE, 'https://www.pinterest.com/', 'social'],
  ['tiktok referrer', SITE, 'https://www.tiktok.com/', 'social'],
  ['quora referrer', SITE, 'https://www.quora.com/', 'social'],
  ['youtube referrer (organic video)', SITE, 'https://www.youtube.com/', 'social'],
  ['vimeo referrer', SITE, 'https://vimeo.com/123', 'social'],
  ['utm medium social', `${SITE}?utm_source=mastodon&utm_medium=social`, '', 'social'],
  ['utm medium social-network', `${SITE}?utm_source=x&utm_medium=social-network`, '', 'social'],
  [
    'utm medium social media',
    `${SITE}?utm_source=abc&utm_medium=social%20media`,
    '',
    'social',
    'abc',
    'social media',
  ],
  ['utm medium sm', `${SITE}?utm_source=abc&utm_medium=sm`, '', 'social'],
  ['utm source facebook organic post', `${SITE}?utm_source=facebook&utm_medium=post`, '', 'social'],
  ['utm medium video', `${SITE}?utm_source=abc&utm_medium=video`, '', 'social'],

  // Email.
  [
    'newsletter email',
    `${SITE}?utm_source=newsletter&utm_medium=email`,
    '',
    'email',
    'newsletter',
    'email',
  ],
  ['e-mail medium', `${SITE}?utm_source=crm&utm_medium=e-mail`, '', 'email'],
  ['e_mail medium', `${SITE}?utm_source=crm&utm_medium=e_mail`, '', 'email'],
  ['e mail medium', `${SITE}?utm_source=crm&utm_medium=e+mail`, '', 'email', 'crm', 'e mail'],
  ['email source, odd medium', `${SITE}?utm_source=email&utm_medium=weekly`, '', 'email'],
  [
    'email medium beats google referrer',
    `${SITE}?utm_medium=email`,
    'https://www.google.com/',
    'email',
    '',
    'email',
  ],
  ['sms source', `${SITE}?utm_source=sms&utm_medium=text`, '', 'email'],
  ['sms medium', `${SITE}?utm_source=twilio&utm_medium=sms`, '', 'email'],
  ['push medium', `${SITE}?utm_source=app&utm_medium=web-push`, '', 'email'],
  ['mobile notification medium', `${SITE}?utm_source=app&utm_medium=mobile`, '', 'email'],
  ['firebase source', `${SITE}?utm_source=firebase&utm_medium=inapp`, '', 'email'],
  ['gmail web referrer', SITE, 'https://mail.google.com/', 'email', 'mail.google.com', 'email'],
  ['yahoo mail referrer', SITE, 'https://mail.yahoo.com/', 'email'],
  ['outlook referrer', SITE, 'https://outlook.live.com/mail/0/', 'email'],
  ['gmail app referrer', SITE, 'android-app://com.google.android.gm/', 'email'],

  // Referral.
  ['blog referrer', SITE, 'https://blog.other.org/post', 'referral', 'blog.other.org', 'referral'],
  [
    'news referrer with www stripped',
    SITE,
    'https://www.news.com/a',
    'referral',
    'news.com',
    'referral',
  ],
  ['http referrer', SITE, 'http://partner.io/', 'referral', 'partner.io'],
  ['referrer with port', SITE, 'https://partner.io:8443/x', 'referral', 'partner.io'],
  ['referrer with credentials', SITE, 'https://u:p@partner.io/x', 'referral', 'partner.io'],
  ['other site on a country domain', 'https://a.shop.co.uk/', 'https://b.other.co.uk/', 'referral'],
  ['similar but different site', SITE, 'https://example.com.evil.net/', 'referral'],
  ['utm medium referral', `${SITE}?utm_source=partner&utm_medium=referral`, '', 'referral'],
  ['utm medium app', `${SITE}?utm_source=partner&utm_medium=app`, '', 'referral'],
  ['utm medium link', `${SITE}?utm_source=partner&utm_medium=link`, '', 'referral'],
  ['utm medium affiliate', `${SITE}?utm_source=awin&utm_medium=affiliate`, '', 'referral'],
  ['organic shopping referrer', SITE, 'https://www.amazon.com/', 'referral'],
  [
    'organic shopping campaign',
    `${SITE}?utm_source=x&utm_medium=feed&utm_campaign=shop-spring`,
    '',
    'referral',
  ],
  ['unassigned but tagged', `${SITE}?utm_source=partner&utm_medium=weird`, '', 'referral'],
  ['unassigned source only', `${SITE}?utm_source=newsletter`, '', 'referral', 'newsletter', ''],
  [
    'unknown app referrer',
    SITE,
    'android-app://com.newsapp.reader/',
    'referral',
    'reader.newsapp.com',
  ],

  // GA4 rule order.
  [
    'paid search before display (google cpm)',
    `${SITE}?utm_source=google&utm_medium=cpm`,
    '',
    'paid',
  ],
  [
    'display before paid other (unknown cpm)',
    `${SITE}?utm_source=adsrv&utm_medium=cpm`,
    '',
    'display',
  ],
  ['paid other before organic social', `${SITE}?utm_source=mastodon&utm_medium=paid`, '', 'paid'],
  [
    'social source before referral medium',
    `${SITE}?utm_source=facebook&utm_medium=referral`,
    '',
    'social',
  ],
  [
    'search source before email medium',
    `${SITE}?utm_source=google&utm_medium=email`,
    '',
    'organic',
  ],
  [
    'referral medium before email source',
    `${SITE}?utm_source=email&utm_medium=referral`,
    '',
    'referral',
  ],
  [
    'email before affiliate (source email)',
    `${SITE}?utm_source=email&utm_medium=affiliate`,
    '',
    'email',
  ],
  [
    'UTMs beat external referrer',
    `${SITE}?utm_source=partner&utm_medium=referral`,
    'https://www.facebook.com/',
    'referral',
    'partner',
  ],
  [
    'UTMs beat internal referrer',
    `${SITE}?utm_source=newsletter&utm_medium=email`,
    'https://shop.example.com/',
    'email',
  ],

  // UTM case variants.
  [
    'UTM_SOURCE upper keys',
    `${SITE}?UTM_SOURCE=Newsletter&UTM_MEDIUM=Email`,
    '',
    'email',
    'newsletter',
    'email',
  ],
  [
    'Utm_Medium mixed keys',
    `${SITE}?Utm_Source=Google&Utm_Medium=CPC`,
    '',
    'paid',
    'google',
    'cpc',
  ],
  [
    'mixed case values',
    `${SITE}?utm_source=FaceBook&utm_medium=Social`,
    '',
    'social',
    'facebook',
    'social',
  ],
  [
    'whitespace around values',
    `${SITE}?utm_source=%20google%20&utm_medium=%20cpc`,
    '',
    'paid',
    'google',
    'cpc',
  ],
  ['first duplicate wins', `${SITE}?utm_medium=email&utm_medium=cpc&utm_source=crm`, '', 'email'],
  [
    'utm in hash route',
    'https://shop.example.com/#/p?utm_source=newsletter&utm_medium=email',
    '',
    'email',
  ],
  ['utm after hash', 'https://shop.example.com/#utm_source=google&utm_medium=cpc', '', 'paid'],

  // Malformed input.
  ['empty url', '', '', 'direct', '(direct)'],
  ['relative url', '/landing?utm_source=google&utm_medium=cpc', '', 'paid'],
  ['not a url', 'not a url', 'also not a url', 'direct'],
  [
    'broken percent encoding',
    `${SITE}?utm_source=%E0%A4%A&utm_medium=email`,
    '',
    'email',
    '%e0%a4%a',
    'email',
  ],
  ['key without value', `${SITE}?utm_source&utm_medium=`, '', 'direct'],
  ['referrer without scheme', SITE, 'www.google.com', 'direct'],
  ['referrer javascript:', SITE, 'javascript:void(0)', 'direct'],
  ['referrer about:blank', SITE, 'about:blank', 'direct'],
  ['ipv6 referrer', SITE, 'http://[::1]:8080/', 'referral', '[::1]'],
  ['ip referrer', SITE, 'http://10.0.0.1/', 'referral', '10.0.0.1'],
  ['upper-case referrer host', SITE, 'HTTPS://WWW.GOOGLE.COM/', 'organic', 'google'],
  ['trailing dot host', SITE, 'https://www.google.com./', 'organic', 'google'],
  ['prototype key in query', `${SITE}?constructor=1&__proto__=2`, '', 'direct'],
];

const CLICK_IDS: [param: string, source: string, medium: string, channel: Channel][] = [
  ['gclid', 'google', 'cpc', 'paid'],
  ['gbraid', 'google', 'cpc', 'paid'],
  ['wbraid', 'google', 'cpc', 'paid'],
  ['dclid', 'google', 'display', 'display'],
  ['msclkid', 'bing', 'cpc', 'paid'],
  ['yclid', 'yandex', 'cpc', 'paid'],
  ['ttclid', 'tiktok', 'cpc', 'paid'],
  ['li_fat_id', 'linkedin', 'cpc', 'paid'],
  ['twclid', 'twitter', 'cpc', 'paid'],
  ['epik', 'pinterest', 'cpc', 'paid'],
  ['rdt_cid', 'reddit', 'cpc', 'paid'],
  ['sccid', 'snapchat', 'cpc', 'paid'],
  ['fbclid', 'facebook', 'social', 'social'],
];

for (const [param, source, medium, channel] of CLICK_IDS) {
  rows.push(
    [`${param} alone`, `${SITE}?${param}=abc123`, '', channel, source, medium],
    [`${param} upper-case key`, `${SITE}?${param.toUpperCase()}=abc123`, '', channel, source],
    [
      `${param} with its network's referrer`,
      `${SITE}?${param}=x`,
      'https://www.google.com/',
      channel,
      source,
    ],
    [
      `${param} with email UTMs`,
      `${SITE}?utm_source=nl&utm_medium=email&${param}=x`,
      '',
      channel,
      'nl',
      'email',
    ],
    [
      `${param} with cpc UTMs stays paid`,
      `${SITE}?utm_source=x&utm_medium=cpc&${param}=x`,
      '',
      'paid',
      'x',
      'cpc',
    ],
    [
      `${param} with display UTMs stays display`,
      `${SITE}?utm_source=x&utm_medium=display&${param}=x`,
      '',
      'display',
    ],
    [`${param} empty value is ignored`, `${SITE}?${param}=`, '', 'direct', '(direct)'],
  );
}

describe('classifyChannel', () => {
  it('has at least 150 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });

  it.each(rows)('%s', (_what, url, referrer, channel, source, medium) => {
    const touch = classifyChannel({ url, referrer });
    expect(touch.channel).toBe(channel);
    if (source !== undefined) expect(touch.source).toBe(source);
    if (medium !== undefined) expect(touch.medium).toBe(medium);
  });

  it('returns every detail, keeping campaign, term and content as written', () => {
    const url = `${SITE}?utm_source=Google&utm_medium=CPC&utm_campaign=Spring%20Sale&utm_term=Red+Shoes&utm_content=Ad_B&gclid=1`;
    expect(classifyChannel({ url, referrer: 'https://www.google.com/search' })).toEqual({
      channel: 'paid',
      source: 'google',
      medium: 'cpc',
      campaign: 'Spring Sale',
      term: 'Red Shoes',
      content: 'Ad_B',
      clickIdType: 'gclid',
      referrerHost: 'www.google.com',
    });
  });

  it('reports the referrer host even when the referrer is internal', () => {
    const touch = classifyChannel({ url: SITE, referrer: 'https://shop.example.com/cart' });
    expect(touch).toMatchObject({ channel: 'direct', referrerHost: 'shop.example.com' });
  });

  it('uses a Segment context.campaign when the URL has no UTMs', () => {
    const campaign = { source: 'newsletter', medium: 'email', name: 'weekly' };
    expect(classifyChannel({ url: SITE, campaign })).toMatchObject({
      channel: 'email',
      source: 'newsletter',
      campaign: 'weekly',
    });
  });

  it('prefers UTMs in the URL over a given context.campaign', () => {
    const url = `${SITE}?utm_source=google&utm_medium=cpc`;
    const campaign = { source: 'newsletter', medium: 'email' };
    expect(classifyChannel({ url, campaign })).toMatchObject({ channel: 'paid', source: 'google' });
  });

  it('names the first click id in priority order when several are present', () => {
    const touch = classifyChannel({ url: `${SITE}?fbclid=1&gclid=2` });
    expect(touch).toMatchObject({ channel: 'paid', clickIdType: 'gclid' });
  });
});

describe('touchSource', () => {
  it('is what classifyChannel finds before its channel rules, for every case above', () => {
    for (const [, url, referrer] of rows) {
      const { channel: _, ...touch } = classifyChannel({ url, referrer });
      expect(touchSource({ url, referrer })).toEqual(touch);
    }
  });
});

describe('isDirect', () => {
  it.each([
    ['(direct)', '(none)', true],
    ['(direct)', '(not set)', true],
    ['(direct)', '', true],
    ['(direct)', 'cpc', false],
    ['google', '(none)', false],
  ])('%s / %s: %s', (source, medium, direct) => {
    expect(isDirect(source, medium)).toBe(direct);
  });
});

describe('searchSite and sourceKind', () => {
  it.each([
    ['google.com', 'google', 'search'],
    ['www.google.co.uk', 'google', 'search'],
    ['search.brave.com', 'brave', 'search'],
    ['google', 'google', 'search'],
    ['mail.google.com', '', undefined],
    ['facebook.com', '', 'social'],
    ['l.facebook.com', '', 'social'],
    ['fb.me', '', 'social'],
    ['t.co', '', 'social'],
    ['youtu.be', '', 'video'],
    ['www.amazon.de', '', 'shopping'],
    ['googleusercontent.com', '', undefined],
    ['constructor', '', undefined],
    ['', '', undefined],
  ])('%s: %j, %s', (source, site, kind) => {
    expect(searchSite(source)).toBe(site);
    expect(sourceKind(source)).toBe(kind);
  });
});

describe('isInternalReferrer', () => {
  it.each([
    [SITE, 'https://shop.example.com/x', true],
    [SITE, 'https://example.com/', true],
    [SITE, 'http://checkout.example.com:8080/', true],
    ['https://a.shop.co.uk/', 'https://www.shop.co.uk/', true],
    [SITE, 'https://example.org/', false],
    [SITE, 'https://www.google.com/', false],
    ['https://a.shop.co.uk/', 'https://a.other.co.uk/', false],
    [SITE, '', false],
    [SITE, 'garbage', false],
  ])('%s ← %s: %s', (page, referrer, internal) => {
    expect(isInternalReferrer(page, referrer)).toBe(internal);
  });
});
