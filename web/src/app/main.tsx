// The wallet app, served at /app (and every path under it) by this server: React, Apollo Client
// (HTTP + graphql-ws) and wouter's router under the /app base. docs/web.md tells how it is built,
// served and tested.
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { client } from './apollo';
import { App } from './App';
import './app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <Router base="/app">
        <App />
      </Router>
    </ApolloProvider>
  </StrictMode>,
);
