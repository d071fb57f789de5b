import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, rememberRefreshToken, setViewAs as setOverride, unwrap, whenSessionLost } from './api';
import { Link, match, navigate, usePath } from './router';
import { ApiKeys } from './screens/api-keys';
import { AccountSettings } from './screens/account';
import { Catalog } from './screens/catalog';
import { Integrations } from './screens/integrations';
import { PlatformAudit } from './screens/platform-audit';
import { Proposals } from './screens/proposals';
import { SignIn } from './screens/sign-in';
import { TenantCreate } from './screens/tenant-create';
import { TenantDetail } from './screens/tenant-detail';
import { Tenants } from './screens/tenants';
import { canOperate, isOperator, SessionContext, useSession, type CurrentSession } from './session';
import { ErrorMessage, Loading, useAction } from './ui';

type State = { kind: 'loading' } | { kind: 'signed-out'; notice?: string } | { kind: 'signed-in'; session: CurrentSession } | { kind: 'failed'; error: unknown };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [viewAs, setViewAsState] = useState<{ id: string; name: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const session = await unwrap(api.GET('/api/v1/auth/session'));
      setState({ kind: 'signed-in', session });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState({ kind: 'signed-out' });
      else setState({ kind: 'failed', error });
    }
  }, []);

  useEffect(() => {
    whenSessionLost(() => {
      setOverride(null);
      setViewAsState(null);
      setState({ kind: 'signed-out', notice: 'Your session has ended. Sign in again.' });
    });
    void load();
  }, [load]);

  const setViewAs = useCallback((tenant: { id: string; name: string } | null) => {
    setOverride(tenant?.id ?? null);
    setViewAsState(tenant);
  }, []);

  if (state.kind === 'loading') return <Loading label="Opening the console…" />;
  if (state.kind === 'failed') return <ErrorMessage error={state.error} />;
  if (state.kind === 'signed-out') return <SignIn onSignedIn={load} notice={state.notice} />;
  const signedOut = (notice: string) => {
    rememberRefreshToken(null);
    setViewAs(null);
    setState({ kind: 'signed-out', notice });
    navigate('/', true);
  };
  return (
    <SessionContext.Provider value={{ session: state.session, reload: load, viewAs, setViewAs }}>
      <Shell onSignedOut={signedOut} />
    </SessionContext.Provider>
  );
}

function Shell({ onSignedOut }: { onSignedOut: (notice: string) => void }) {
  const path = usePath();
  const { session, viewAs, setViewAs } = useSession();
  const operator = isOperator(session);
  const hasTenant = Boolean(session.tenantId || viewAs);
  const main = useRef<HTMLElement>(null);

  // Screen readers and keyboards land on the new screen's content after a navigation.
  useEffect(() => {
    main.current?.focus();
  }, [path]);

  const screen = useMemo(() => route(path, operator, hasTenant), [path, operator, hasTenant]);
  const ownTenant = session.memberships.find((membership) => membership.tenantId === session.tenantId);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Tenant Platform</span>
        <nav aria-label="Main">
          <ul>
            {operator && (
              <>
                <li>
                  <NavLink to="/tenants" path={path}>
                    Tenants
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/platform-audit" path={path}>
                    Platform audit
                  </NavLink>
                </li>
              </>
            )}
            {hasTenant && (
              <>
                <li>
                  <NavLink to="/catalog" path={path}>
                    Catalog
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/api-keys" path={path}>
                    API keys
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/proposals" path={path}>
                    Agent proposals
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/integrations" path={path}>
                    Integrations
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/account" path={path}>
                    Account
                  </NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        <SessionMenu onSignedOut={onSignedOut} />
      </header>
      {viewAs && (
        <div className="banner override" role="status">
          Viewing <strong>{viewAs.name}</strong> as an operator: read-only (X-Operator-Override; every view is audited).{' '}
          <button
            type="button"
            onClick={() => {
              const id = viewAs.id;
              setViewAs(null);
              navigate(`/tenants/${id}`);
            }}
          >
            Stop viewing
          </button>
        </div>
      )}
      {!viewAs && session.tenantStatus && session.tenantStatus !== 'ACTIVE' && (
        <div className="banner warning" role="status">
          {ownTenant?.name ?? 'This tenant'} is {session.tenantStatus.toLowerCase()}: its data cannot be read or changed until an operator resumes it.
        </div>
      )}
      <main id="main" ref={main} tabIndex={-1}>
        {/* A new tenant (switch, view-as) is a new screen: nothing loaded for the last one stays. */}
        <Fragment key={`${session.tenantId ?? ''}:${viewAs?.id ?? ''}`}>{screen}</Fragment>
      </main>
    </>
  );
}

function route(path: string, operator: boolean, hasTenant: boolean): ReactNode {
  if (path === '/') return <Redirect to={hasTenant ? '/catalog' : '/tenants'} />;
  if (operator) {
    if (path === '/tenants') return <Tenants />;
    if (path === '/tenants/new') return <TenantCreate />;
    const tenant = match('/tenants/:id', path);
    if (tenant) return <TenantDetail id={tenant.id} />;
    if (path === '/platform-audit') return <PlatformAudit />;
  }
  if (hasTenant) {
    if (path === '/catalog') return <Catalog />;
    if (path === '/api-keys') return <ApiKeys />;
    if (path === '/proposals') return <Proposals />;
    if (path === '/integrations') return <Integrations />;
    if (path === '/account') return <AccountSettings />;
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no such page here. <Link to="/">Back to the start</Link>.
      </p>
    </section>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

function NavLink({ to, path, children }: { to: string; path: string; children: ReactNode }) {
  const current = path === to || path.startsWith(`${to}/`);
  return (
    <Link to={to} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** Who is signed in, the tenant switch (several memberships), logout and logout everywhere. */
function SessionMenu({ onSignedOut }: { onSignedOut: (notice: string) => void }) {
  const { session, reload, viewAs } = useSession();
  const action = useAction();
  return (
    <div className="session-menu">
      <span className="who">{session.user.email}</span>
      {session.memberships.length > 1 && !viewAs && (
        <label>
          Tenant{' '}
          <select
            value={session.tenantId ?? ''}
            disabled={action.pending}
            onChange={(event) =>
              action.run(async () => {
                await unwrap(api.POST('/api/v1/auth/switch-tenant', { body: { tenantId: event.target.value } }));
                await reload();
              })
            }
          >
            {!session.tenantId && <option value="">(none)</option>}
            {session.memberships.map((membership) => (
              <option key={membership.tenantId} value={membership.tenantId}>
                {membership.name} ({membership.role.toLowerCase()})
              </option>
            ))}
          </select>
        </label>
      )}
      {session.memberships.length === 1 && session.role && <span className="role">{session.role.toLowerCase()}</span>}
      {canOperate(session) && <span className="role">operator</span>}
      <button
        type="button"
        onClick={() => action.run(async () => (await unwrap(api.POST('/api/v1/auth/logout')), onSignedOut('You are signed out.')))}
      >
        Sign out
      </button>
      <button
        type="button"
        onClick={() =>
          action.run(async () => (await unwrap(api.POST('/api/v1/auth/logout-all')), onSignedOut('You are signed out on every device.')))
        }
      >
        Sign out everywhere
      </button>
      <ErrorMessage error={action.error} />
    </div>
  );
}
