import { createContext, useContext } from 'react';
import type { FolioClient } from '../api/client.js';

export const ClientContext = createContext<FolioClient | null>(null);

export function useClient(): FolioClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() outside <ClientContext.Provider>: main.tsx must provide the client.');
  return client;
}
