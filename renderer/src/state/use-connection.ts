import { useEffect, useState } from 'react';
import type { ConnectionState } from '../api/client.js';
import { useClient } from './client-context.js';

/** The transport's latest verdict on whether the core answers. */
export function useConnection(): ConnectionState {
  const client = useClient();
  const [state, setState] = useState<ConnectionState>('ok');
  useEffect(() => client.onConnection(setState), [client]);
  return state;
}
