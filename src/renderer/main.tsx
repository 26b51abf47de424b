import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './app/App';
import { EngineProvider } from './engine/EngineProvider';
import { openEngineChannel } from './engine/channels';
import { applyInitialTheme } from './app/theme';

applyInitialTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EngineProvider open={openEngineChannel}>
      <App />
    </EngineProvider>
  </StrictMode>,
);
