import { useEffect, useRef, useState } from 'react';

/**
 * The value, changing at most every `ms`: labels read at 4 Hz are readable, and each change costs a DOM
 * repaint over the canvas, which a software renderer pays for. The 3D colours still follow every reading.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const timer = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, last.current + ms - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}
