// Only the styles of the components in use: the whole sheet (300 KB) made every render's style recalculation slow.
import '@mantine/core/styles/baseline.css';
import '@mantine/core/styles/default-css-variables.css';
import '@mantine/core/styles/global.css';
import '@mantine/core/styles/ActionIcon.css';
import '@mantine/core/styles/Alert.css';
import '@mantine/core/styles/Anchor.css';
import '@mantine/core/styles/AppShell.css';
import '@mantine/core/styles/Badge.css';
import '@mantine/core/styles/Button.css';
import '@mantine/core/styles/Card.css';
import '@mantine/core/styles/CloseButton.css';
import '@mantine/core/styles/Combobox.css';
import '@mantine/core/styles/Divider.css';
import '@mantine/core/styles/Drawer.css';
import '@mantine/core/styles/Group.css';
import '@mantine/core/styles/Input.css';
import '@mantine/core/styles/List.css';
import '@mantine/core/styles/Loader.css';
import '@mantine/core/styles/Menu.css';
import '@mantine/core/styles/Modal.css';
import '@mantine/core/styles/ModalBase.css';
import '@mantine/core/styles/Overlay.css';
import '@mantine/core/styles/Paper.css';
import '@mantine/core/styles/Popover.css';
import '@mantine/core/styles/Progress.css';
import '@mantine/core/styles/ScrollArea.css';
import '@mantine/core/styles/Stack.css';
import '@mantine/core/styles/Table.css';
import '@mantine/core/styles/Text.css';
import '@mantine/core/styles/Timeline.css';
import '@mantine/core/styles/Title.css';
import '@mantine/core/styles/UnstyledButton.css';
import '@mantine/core/styles/VisuallyHidden.css';
import '@mantine/core/styles/PasswordInput.css';
import '@mantine/core/styles/Flex.css';
import '@mantine/core/styles/InlineInput.css';
import '@mantine/core/styles/Notification.css';
import '@mantine/core/styles/Tooltip.css';
import '@mantine/core/styles/Pill.css';
import '@mantine/core/styles/PillsInput.css';
import './staff.css';
import { Alert, Badge, createTheme, Drawer, Loader, MantineProvider, Modal } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from '../shared/api';
import { PortalShell } from './portal-shell';
import { SignInPage } from './sign-in-page';
import { session, useSessionState } from './session';

/** Darker shades than Mantine's defaults, so text and buttons reach WCAG AA contrast (4.5:1). */
const theme = createTheme({
  primaryShade: 8,
  // Alert text in the light variant is a pale shade on a paler one; dark text reads on every colour.
  components: {
    Alert: Alert.extend({
      styles: { title: { color: 'var(--mantine-color-dark-8)' }, message: { color: 'var(--mantine-color-dark-8)' } },
    }),
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
    queries: {
      retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function App() {
  const state = useSessionState();
  useEffect(() => void session.restore(), []);
  if (state === 'restoring') return <Loader aria-label="Loading" m="xl" />;
  if (state !== 'signed-in') {
    queryClient.clear();
    return <SignInPage expired={state === 'ended'} />;
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
