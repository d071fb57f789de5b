import type { Page } from 'playwright-core';
import { IdentityFixtures } from '../support/identity-fixtures';
import { runNpmScript } from '../support/npm-script';
import { ServerProcess } from '../support/server-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { buildConsole, ConsoleBrowser, cspViolations, pageErrors, screenshot, seriousAccessibilityViolations } from '../support/console-browser';

const MAIN = 'dist/main.js';
const SECRETS = { JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789', TENANT_COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef012345' };
const PASSWORD = 'a sound console password 2026';
const STEP_TIMEOUT_MS = 180_000;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

interface Account {
  email: string;
  userId: string;
  tenantId: string;
  slug: string;
}

/**
 * The admin console in Debian's Chromium against a real server process on a throwaway database:
 * what a tenant admin, an agent, an operator and a member do there, each screen checked with axe
 * (no serious or critical violation) and photographed into docs/console/ (linked from the README).
 */
describe('admin console in a browser', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let base: string;
  let browser: ConsoleBrowser;
  let fixtures: IdentityFixtures;
  let admin: Account;
  let adminPage: Page;

  beforeAll(async () => {
    buildConsole();
    database = await createTestDatabase();
    server = ServerProcess.start(MAIN, { DATABASE_URL: database.url, ...SECRETS });
    base = await server.listening(60_000);
    browser = await ConsoleBrowser.launch();
    fixtures = await IdentityFixtures.connect(database.url);
  }, STEP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await fixtures?.close();
    server?.kill('SIGKILL');
    await database?.drop();
  });

  afterEach(() => {
    // The console runs under its CSP (script-src 'self', no inline): any refusal is a defect.
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function signUp(prefix: string): Promise<Account> {
    const email = `${prefix}-${unique()}@example.com`;
    const response = await fetch(`${base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, businessName: `${prefix} ${unique()}` }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { user: { id: string }; tenant: { id: string; slug: string } };
    return { email, userId: body.user.id, tenantId: body.tenant.id, slug: body.tenant.slug };
  }

  async function signIn(page: Page, account: Account): Promise<void> {
    await page.goto(`${base}/console/`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(account.email).waitFor();
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, name);
  }

  /** A request from the console's own page (same origin, the session cookie): the browser's door. */
  function fromPage(page: Page, method: string, path: string, body?: object): Promise<{ status: number; code?: string }> {
    return page.evaluate(
      async ({ method, path, body }) => {
        const response = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
        const json = (await response.json().catch(() => ({}))) as { code?: string };
        return { status: response.status, code: json.code };
      },
      { method, path, body },
    );
  }

  it('is served at /console: the page with its CSP for every client-side route, hashed assets cached, missing ones 404', async () => {
    const page = await fetch(`${base}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    const script = /<script type="module" crossorigin src="(\/console\/assets\/[^"]+\.js)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(html).not.toMatch(/<script>|<style>|style="/);

    const route = await fetch(`${base}/console/tenants/0190f0f0-0000-7000-8000-000000000000`);
    expect([route.status, await route.text()]).toEqual([200, html]);
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${base}/console/assets/gone-0000.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('NOT_FOUND');
    // The API keeps its own policy: nothing it answers may run script.
    expect((await fetch(`${base}/api/v1/health/live`)).headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it(
    'a tenant admin signed up through the API signs in, creates a segment and a package, and sees it on the storefront',
    async () => {
      admin = await signUp('admin');
      adminPage = await browser.person();
      await adminPage.goto(`${base}/console/`);
      await adminPage.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectAccessible(adminPage, 'sign-in');

      // A wrong password: the error envelope, readable, with its request id.
      await adminPage.getByLabel('Email').fill(admin.email);
      await adminPage.getByLabel('Password').fill('not the password');
      await adminPage.getByRole('button', { name: 'Sign in' }).click();
      const alert = adminPage.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/INVALID_CREDENTIALS.*Request ID [0-9a-f-]{36}/);

      await signIn(adminPage, admin);
      await adminPage.getByRole('heading', { name: 'Catalog' }).waitFor();
      // No token in web storage: the session is the HttpOnly cookie.
      expect(await adminPage.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      const cookies = await adminPage.context().cookies();
      expect(cookies.filter((cookie) => ['access_token', 'tenant_sig'].includes(cookie.name)).map((cookie) => [cookie.name, cookie.httpOnly, cookie.secure])).toEqual(
        expect.arrayContaining([
          ['access_token', true, true],
          ['tenant_sig', true, true],
        ]),
      );

      await adminPage.getByRole('form', { name: 'New segment' }).getByLabel('Segment name').fill('Weddings');
      await adminPage.getByRole('button', { name: 'Create segment' }).click();
      await adminPage.getByRole('table', { name: 'Weddings' }).waitFor();

      const form = adminPage.getByRole('form', { name: 'New package' });
      await form.getByLabel('Package name').fill('Full day');
      await form.getByLabel('Price').fill('1500.00');
      await form.getByLabel('Segment').selectOption({ label: 'Weddings' });
      await form.getByRole('button', { name: 'Create package' }).click();
      await adminPage.getByRole('table', { name: 'Weddings' }).getByRole('cell', { name: 'Full day', exact: true }).waitFor();
      expect(await adminPage.getByText('General cannot be deleted').isVisible()).toBe(true);
      await expectAccessible(adminPage, 'catalog');

      await adminPage.getByRole('button', { name: 'Edit Weddings' }).click();
      const segmentForm = adminPage.getByRole('form', { name: 'Edit segment Weddings' });
      await segmentForm.getByLabel('Hero title').fill('Your big day');
      await segmentForm.getByRole('button', { name: 'Save segment' }).click();
      await segmentForm.waitFor({ state: 'detached' });

      const storefrontLink = adminPage.getByRole('link', { name: /Public storefront/ });
      const storefrontUrl = new URL((await storefrontLink.getAttribute('href'))!, base).toString();
      const storefront = await browser.person();
      await storefront.goto(storefrontUrl);
      const shown = JSON.parse((await storefront.textContent('body'))!) as { segments: { name: string; heroTitle: string | null; packages: { name: string; basePrice: number }[] }[] };
      const weddings = shown.segments.find((segment) => segment.name === 'Weddings');
      expect(weddings?.heroTitle).toBe('Your big day');
      expect(weddings?.packages).toEqual([expect.objectContaining({ name: 'Full day', basePrice: 150000 })]);
      await storefront.context().close();
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "an agent key proposes a package; the admin confirms it in the inbox, it is in the catalog, and a second confirm is impossible",
    async () => {
      await adminPage.getByRole('link', { name: 'API keys' }).click();
      const keyForm = adminPage.getByRole('form', { name: 'New API key' });
      await keyForm.getByLabel('Key name').fill('Booking assistant');
      await keyForm.getByLabel(/Agent tools/).check();
      await keyForm.getByRole('button', { name: 'Create key' }).click();
      const secret = (await adminPage.getByTestId('secret').textContent())!;
      expect(secret).toMatch(/^sk_/);
      await adminPage.getByRole('cell', { name: 'Booking assistant', exact: true }).waitFor();
      await expectAccessible(adminPage, 'api-keys');

      const invoke = await fetch(`${base}/api/v1/agent/tools/upsert_package/invoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ arguments: { name: 'Half day', basePrice: 80000 } }),
      });
      expect(invoke.status).toBe(202);
      const proposalId = ((await invoke.json()) as { id: string }).id;

      await adminPage.getByRole('link', { name: 'Agent proposals' }).click();
      const item = adminPage.getByRole('listitem').filter({ hasText: 'Half day' });
      await item.waitFor();
      expect(await item.textContent()).toContain('800.00');
      await expectAccessible(adminPage, 'proposals');
      await item.getByRole('button', { name: 'Confirm' }).click();
      await adminPage.getByText('No proposals.').waitFor();

      await adminPage.getByLabel('Status').selectOption({ label: 'confirmed' });
      const decided = adminPage.getByRole('listitem').filter({ hasText: 'Half day' });
      await decided.waitFor();
      expect(await decided.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
      expect(await fromPage(adminPage, 'POST', `/api/v1/agent/proposals/${proposalId}/confirm`)).toEqual({ status: 409, code: 'PROPOSAL_ALREADY_DECIDED' });

      await adminPage.getByRole('link', { name: 'Catalog' }).click();
      await adminPage.getByRole('table', { name: 'General' }).getByRole('cell', { name: 'Half day', exact: true }).waitFor();

      await adminPage.getByRole('link', { name: 'Account' }).click();
      await adminPage.getByLabel('Business name').waitFor();
      await expectAccessible(adminPage, 'account');
      await adminPage.getByRole('link', { name: 'Integrations' }).click();
      await adminPage.getByRole('table', { name: 'Credentials (values masked)' }).waitFor();
      expect(await adminPage.getByRole('alert').count()).toBe(0);
      await expectAccessible(adminPage, 'integrations');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "an operator suspends the tenant with a reason, the admin's next action shows it, the operator resumes it, and the timeline shows both with the actor",
    async () => {
      const operator = await signUp('operator');
      const granted = await runNpmScript('operators:grant', ['--email', operator.email, '--scope', 'platform:operator'], { DATABASE_URL: database.url });
      expect(granted.code).toBe(0);

      const operatorPage = await browser.person();
      await signIn(operatorPage, operator);
      await operatorPage.getByRole('link', { name: 'Tenants', exact: true }).click();
      await operatorPage.getByLabel('Search').fill(admin.slug);
      await operatorPage.getByRole('caption').filter({ hasText: /^1 tenant$/ }).waitFor();
      await expectAccessible(operatorPage, 'tenants');
      await operatorPage.getByRole('link', { name: /^admin / }).click();

      await operatorPage.getByRole('button', { name: 'Suspend…' }).click();
      const dialog = operatorPage.getByRole('dialog');
      await dialog.getByLabel(/Reason/).fill('Chargeback under review');
      await expectAccessible(operatorPage, 'tenant-suspend-dialog');
      await dialog.getByRole('button', { name: 'Suspend' }).click();
      await operatorPage.getByRole('button', { name: 'Resume…' }).waitFor();
      expect(await operatorPage.getByText('Chargeback under review').first().isVisible()).toBe(true);

      // The admin's next action: refused, and said so.
      await adminPage.getByRole('link', { name: 'Account' }).click();
      const refused = adminPage.getByRole('alert');
      await refused.waitFor();
      expect(await refused.textContent()).toContain('This tenant is suspended');
      expect(await refused.textContent()).toContain('TENANT_SUSPENDED');

      await operatorPage.getByRole('button', { name: 'Resume…' }).click();
      await operatorPage.getByRole('dialog').getByLabel(/Reason/).fill('Chargeback resolved');
      await operatorPage.getByRole('dialog').getByRole('button', { name: 'Resume' }).click();
      await operatorPage.getByRole('button', { name: 'Suspend…' }).waitFor();

      const timeline = operatorPage.getByRole('list', { name: 'Audit timeline' });
      for (const action of ['tenant.suspend', 'tenant.resume']) {
        const entry = timeline.getByRole('listitem').filter({ hasText: action });
        await entry.waitFor();
        expect(await entry.textContent()).toContain(`by user ${operator.userId}`);
      }
      await expectAccessible(operatorPage, 'tenant-detail');

      await adminPage.getByRole('link', { name: 'Catalog' }).click();
      await adminPage.getByRole('table', { name: 'Weddings' }).waitFor();

      // Read-only "view as": every screen says so, and nothing offers a write.
      await operatorPage.getByRole('button', { name: /View as this tenant/ }).click();
      await operatorPage.getByRole('table', { name: 'Weddings' }).waitFor();
      expect(await operatorPage.getByText(/as an operator: read-only/).isVisible()).toBe(true);
      expect(await operatorPage.getByRole('button', { name: 'Create package' }).count()).toBe(0);
      await expectAccessible(operatorPage, 'view-as-tenant');
      await operatorPage.getByRole('link', { name: 'Agent proposals' }).click();
      await operatorPage.getByRole('heading', { name: 'Agent proposals' }).waitFor();
      expect(await operatorPage.getByText(/as an operator: read-only/).isVisible()).toBe(true);
      await operatorPage.getByRole('button', { name: 'Stop viewing' }).click();

      // A new tenant: its first key is shown once.
      await operatorPage.getByRole('link', { name: 'Tenants', exact: true }).click();
      await operatorPage.getByRole('link', { name: 'Create a tenant' }).click();
      await operatorPage.getByLabel('Business name').fill('Console Created');
      await operatorPage.getByLabel('Contact email').fill(`created-${unique()}@example.com`);
      await expectAccessible(operatorPage, 'tenant-create');
      await operatorPage.getByRole('button', { name: 'Create tenant' }).click();
      expect(await operatorPage.getByTestId('secret').textContent()).toMatch(/^sk_/);
      await operatorPage.getByRole('link', { name: 'Console Created' }).waitFor();

      await operatorPage.getByRole('link', { name: 'Platform audit' }).click();
      await operatorPage.getByLabel('Action').fill('tenant.suspend');
      await operatorPage.getByRole('button', { name: 'Apply filters' }).click();
      await operatorPage.getByRole('list', { name: 'Platform audit events' }).getByText('tenant.suspend').first().waitFor();
      await expectAccessible(operatorPage, 'platform-audit');
      await operatorPage.context().close();
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'a member without admin rights sees no write actions, and the API refuses them anyway',
    async () => {
      const member = await signUp('member');
      await fixtures.member(admin.tenantId, member.userId, 'MEMBER');
      const memberPage = await browser.person();
      await signIn(memberPage, member);
      // Two memberships: the switch lists both; the member moves into the admin's tenant.
      const tenantSwitch = memberPage.getByLabel('Tenant');
      const adminOption = tenantSwitch.locator('option', { hasText: '(member)' });
      await tenantSwitch.selectOption((await adminOption.getAttribute('value')) ?? '');
      await memberPage.getByRole('table', { name: 'Weddings' }).waitFor();

      expect(await memberPage.getByText('changing it needs the admin role').isVisible()).toBe(true);
      for (const name of ['Create package', 'Create segment', 'Edit Full day', 'Edit Weddings', 'Deactivate Full day', 'Move Weddings up']) {
        expect(await memberPage.getByRole('button', { name }).count()).toBe(0);
      }
      await expectAccessible(memberPage, 'catalog-member');

      expect(await fromPage(memberPage, 'POST', '/api/v1/packages', { name: 'Sneaky', basePrice: 100 })).toMatchObject({ status: 403 });
      expect(await fromPage(memberPage, 'POST', '/api/v1/api-keys', { name: 'Sneaky' })).toMatchObject({ status: 403 });

      await memberPage.getByRole('link', { name: 'API keys' }).click();
      expect(await memberPage.getByRole('alert').textContent()).toMatch(/403/);
      expect(await memberPage.getByRole('button', { name: 'Create key' }).count()).toBe(0);

      await memberPage.getByRole('button', { name: 'Sign out', exact: true }).click();
      await memberPage.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect((await fromPage(memberPage, 'GET', '/api/v1/auth/session')).status).toBe(401);
      await memberPage.context().close();
    },
    STEP_TIMEOUT_MS,
  );
});
