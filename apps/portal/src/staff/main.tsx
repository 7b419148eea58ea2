import '@mantine/core/styles.css';
import './staff.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from '../shared/api';
import { PortalShell } from './portal-shell';
import { SignInPage } from './sign-in-page';
import { useToken } from './session';

/** Darker shades than Mantine's defaults, so text and buttons reach WCAG AA contrast (4.5:1). */
const theme = createTheme({ primaryShade: 8 });

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
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
