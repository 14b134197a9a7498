// A real OpenID Connect provider (panva's oidc-provider, OpenID certified) for the SSO tests.
//
// Started by tests/sso/oidc_provider.py on a loopback port. Everything comes from the
// environment the test sets:
//   OIDC_TEST_PORT           port to listen on (or argv[2]); issuer is http://127.0.0.1:<port>
//   OIDC_TEST_CLIENT_ID      the app's client id
//   OIDC_TEST_CLIENT_SECRET  its secret (client_secret_basic)
//   OIDC_TEST_REDIRECT_URIS  comma-separated redirect URIs registered for it
//   OIDC_TEST_ACCOUNTS       JSON file {"<login>": {password, email, email_verified, name,
//                            groups}}, read at every sign-in so a test can change groups
//   OIDC_TEST_CONTROL        optional JSON file read at every token request; its "id_token"
//                            member makes this process act as a tampering proxy in front of
//                            its own token endpoint (see tamperIdToken below)
//
// The login form is our own (a password checked against the accounts file) so the app never
// sees the password; PKCE (S256) is required; scopes email/profile put their claims in
// the ID token (conformIdTokenClaims off), as Entra ID and Okta do for a groups claim.

import { readFileSync, existsSync } from 'node:fs';
import * as querystring from 'node:querystring';

import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.argv[2] || process.env.OIDC_TEST_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accountsPath = process.env.OIDC_TEST_ACCOUNTS;
const controlPath = process.env.OIDC_TEST_CONTROL || '';

function readJson(path, fallback) {
  if (!path || !existsSync(path)) return fallback;
  return JSON.parse(readFileSync(path, 'utf8'));
}

const accounts = () => readJson(accountsPath, {});

// One signing key made at start; kept here as well so the tamper modes can re-sign with it.
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const { privateKey: foreignKey } = await jose.generateKeyPair('RS256', { extractable: true });

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const configuration = {
  clients: [{
    client_id: process.env.OIDC_TEST_CLIENT_ID,
    client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
    redirect_uris: (process.env.OIDC_TEST_REDIRECT_URIS || '').split(',').filter(Boolean),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingJwk] },
  pkce: { required: () => true, methods: ['S256'] },
  scopes: ['openid', 'email', 'profile'],
  // groups with the profile: like Entra ID, whose groups claim comes with every token once
  // the app registration asks for it (Okta needs a "groups" scope: OIDC_SCOPES then).
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'groups'],
  },
  conformIdTokenClaims: false,
  cookies: { keys: ['quizapp-test-oidc-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // A first-party client: no consent screen, every requested scope is granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        const fresh = accounts()[id] || account;
        return {
          sub: id,
          email: fresh.email,
          email_verified: fresh.email_verified,
          name: fresh.name,
          groups: fresh.groups,
        };
      },
    };
  },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 120, Interaction: 600 },
};

const provider = new Provider(issuer, configuration);

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function loginForm(uid, error) {
  return page('Test identity provider: sign in', `
${error ? `<p role="alert" id="login-error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <p><label for="login">Username</label> <input id="login" name="login" required autofocus></p>
  <p><label for="password">Password</label>
     <input id="password" name="password" type="password" required></p>
  <p><button type="submit" id="submit">Sign in</button></p>
</form>
<p><a id="abort" href="/interaction/${escape(uid)}/abort">Cancel and return to the app</a></p>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return querystring.parse(Buffer.concat(chunks).toString('utf8'));
}

// Our own login form: GET shows it, POST checks the password, abort answers access_denied.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login|\/abort)?$/);
  if (!match) return next();
  const [, uid, action] = match;
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) ctx.throw(400, 'interaction mismatch');
  ctx.set('Cache-Control', 'no-store');
  if (!action && ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = loginForm(uid, '');
    return undefined;
  }
  if (action === '/abort') {
    const result = { error: 'access_denied', error_description: 'The user cancelled sign-in.' };
    return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  }
  if (action === '/login' && ctx.method === 'POST') {
    const form = await readForm(ctx.req);
    const account = accounts()[form.login];
    if (!account || account.password !== form.password) {
      ctx.type = 'html';
      ctx.status = 200;
      ctx.body = loginForm(uid, 'That username and password do not match.');
      return undefined;
    }
    return provider.interactionFinished(
      ctx.req, ctx.res, { login: { accountId: String(form.login) } },
      { mergeWithLastSubmission: false },
    );
  }
  return ctx.throw(405);
});

// The tampering proxy at the token endpoint. OIDC_TEST_CONTROL {"id_token": MODE, "claims": {}}:
//   "forge"    claims changed, the provider's signature kept (so it no longer matches)
//   "resign"   claims changed and signed again with the provider's own key (a valid signature:
//              tests expired tokens, a wrong nonce, audience or issuer)
//   "foreign"  claims changed, signed with another key under the provider's key id
//   "none"     claims changed, alg "none" and no signature
//   "drop"     no id_token in the response at all
function b64(json) {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

async function tamperIdToken(idToken, mode, overrides) {
  const [headerPart, payloadPart, signature] = idToken.split('.');
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
  const claims = { ...JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')), ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === null) delete claims[key];
  if (mode === 'forge') return `${headerPart}.${b64(claims)}.${signature}`;
  if (mode === 'none') return `${b64({ alg: 'none', typ: header.typ })}.${b64(claims)}.`;
  const key = mode === 'foreign' ? foreignKey : privateKey;
  return new jose.CompactSign(Buffer.from(JSON.stringify(claims)))
    .setProtectedHeader(header).sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.method !== 'POST' || ctx.status !== 200) return;
  const control = readJson(controlPath, {});
  const mode = control.id_token;
  if (!mode || !ctx.body || !ctx.body.id_token) return;
  const body = { ...ctx.body };
  if (mode === 'drop') delete body.id_token;
  else body.id_token = await tamperIdToken(body.id_token, mode, control.claims || {});
  ctx.body = body;
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`oidc test provider ready at ${issuer}\n`);
});
