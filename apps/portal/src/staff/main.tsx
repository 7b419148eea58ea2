import '@mantine/core/styles.css';
import './staff.css';
import { Alert, Badge, createTheme, Drawer, MantineProvider, Modal } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from '../shared/api';
import { PortalShell } from './portal-shell';
import { SignInPage } from './sign-in-page';
import { useToken } from './session';

/** Darker shades than Mantine's defaults, so text and buttons reach WCAG AA contrast (4.5:1). */
const theme = createTheme({
  primaryShade: 8,
  // Alert text in the light variant is a pale shade on a paler one; dark text reads on every colour.
  components: {
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-dark-8)' }, message: { color: 'var(--mantine-color-dark-8)' } } }),
    Badge: Badge.extend({ styles: { label: { color: 'var(--mantine-color-dark-8)' } } }),
    // A light overlay: the page behind a dialog stays legible (and passes contrast checks) while the dialog leads.
    Modal: Modal.extend({ defaultProps: { overlayProps: { backgroundOpacity: 0.25 } } }),
    Drawer: Drawer.extend({ defaultProps: { overlayProps: { backgroundOpacity: 0.25 } } }),
  },
});

/** Mantine's dimmed grey is 3.3:1 on white; this one is 6.6:1. */
const darkerDimmedText = () => ({ variables: {}, light: { '--mantine-color-dimmed': '#555d66' }, dark: {} });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2, refetchOnWindowFocus: false },
  },
});

function App() {
  const token = useToken();
  const hadSession = useRef(token !== null);
  if (token) hadSession.current = true;
  if (!token) {
    queryClient.clear();
    return <SignInPage expired={hadSession.current} />;
  }
  return <PortalShell />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={darkerDimmedText}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
