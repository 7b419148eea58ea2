import { AppShell, Button, Group, Loader, Menu, Select, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ChangePasswordDialog } from './change-password-dialog';
import { GetLinkDialog } from './get-link-dialog';
import { InviteDialog } from './invite-dialog';
import { PatientsPage } from './patients-page';
import { SettingsPage } from './settings-page';
import { StaffPage } from './staff-page';
import { useDeployments, useMe } from './queries';
import { session } from './session';

/** A choice kept in the address (`?deployment=`, `?page=`), so a reload or a new sign-in keeps it. */
function useUrlParam(name: string): [string | null, (value: string) => void] {
  const [value, setValue] = useState(() => new URLSearchParams(window.location.search).get(name));
  const choose = (next: string) => {
    const url = new URL(window.location.href);
    url.searchParams.set(name, next);
    window.history.replaceState(null, '', url);
    setValue(next);
  };
  return [value, choose];
}

const useDeploymentParam = () => useUrlParam('deployment');

function PageButton({
  page,
  shown,
  onSelect,
  children,
}: {
  page: string;
  shown: string;
  onSelect: (page: string) => void;
  children: string;
}) {
  return (
    <Button
      variant={shown === page ? 'light' : 'subtle'}
      aria-current={shown === page ? 'page' : undefined}
      onClick={() => onSelect(page)}
    >
      {children}
    </Button>
  );
}

export function PortalShell() {
  const me = useMe();
  const deployments = useDeployments();
  const [deploymentId, setDeploymentId] = useDeploymentParam();
  const [page, setPage] = useUrlParam('page');
  const [dialog, setDialog] = useState<'invite' | 'link' | 'password' | null>(null);
  const items = deployments.data ?? [];
  const current = items.find((d) => d.id === deploymentId) ?? items[0];
  useEffect(() => {
    if (current && current.id !== deploymentId) setDeploymentId(current.id);
  }, [current, deploymentId, setDeploymentId]);
  if (me.isLoading || deployments.isLoading) return <Loader m="xl" aria-label="Loading" />;
  if (!me.data || !current) return <Text m="xl">No deployment is open to you. Ask an administrator for access.</Text>;
  const canManage = me.data.permissions.includes('manage_patient_data');
  const canManageStaff = me.data.permissions.includes('manage_staff');
  const canManageDeployment = me.data.permissions.includes('manage_deployment');
  const shown =
    page === 'staff' && canManageStaff ? 'staff' : page === 'settings' && canManageDeployment ? 'settings' : 'patients';
  return (
    <AppShell header={{ height: 64 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Text fw={700}>Care Portal</Text>
            <Select
              aria-label="Deployment"
              data={items.map((d) => ({ value: d.id, label: d.name }))}
              value={current.id}
              onChange={(v) => v && setDeploymentId(v)}
              allowDeselect={false}
            />
            {(canManageStaff || canManageDeployment) && (
              <Group gap="xs" component="nav" aria-label="Pages">
                <PageButton page="patients" shown={shown} onSelect={setPage}>
                  Patients
                </PageButton>
                {canManageStaff && (
                  <PageButton page="staff" shown={shown} onSelect={setPage}>
                    Staff
                  </PageButton>
                )}
                {canManageDeployment && (
                  <PageButton page="settings" shown={shown} onSelect={setPage}>
                    Settings
                  </PageButton>
                )}
              </Group>
            )}
          </Group>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button variant="default" rightSection="▾">
                {me.data.email}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {canManage && <Menu.Item onClick={() => setDialog('invite')}>Invite Patients</Menu.Item>}
              {canManage && <Menu.Item onClick={() => setDialog('link')}>Get Link</Menu.Item>}
              {canManage && <Menu.Divider />}
              <Menu.Item onClick={() => setDialog('password')}>Change password</Menu.Item>
              <Menu.Item onClick={() => void session.signOut()}>Sign out</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {shown === 'staff' ? (
          <StaffPage myId={me.data.id} />
        ) : shown === 'settings' ? (
          <SettingsPage key={current.id} deploymentId={current.id} deploymentName={current.name} />
        ) : canManage ? (
          <PatientsPage key={current.id} deploymentId={current.id} canManage={canManage} />
        ) : (
          <Text>Your role does not include managing patient data in {current.name}.</Text>
        )}
        {canManage && (
          <InviteDialog deploymentId={current.id} opened={dialog === 'invite'} onClose={() => setDialog(null)} />
        )}
        {canManage && (
          <GetLinkDialog deploymentId={current.id} opened={dialog === 'link'} onClose={() => setDialog(null)} />
        )}
        <ChangePasswordDialog opened={dialog === 'password'} onClose={() => setDialog(null)} />
      </AppShell.Main>
    </AppShell>
  );
}
