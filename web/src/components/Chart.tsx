import { useEffect, useRef } from 'preact/hooks';
import { echarts, type ECharts } from '../charts';

interface Props {
  option: any;
  class?: string;
  label: string;
  onReady?: (chart: ECharts) => void;
  onClick?: (params: any) => void;
  [k: string]: unknown;
}

/** An ECharts canvas that follows its container's size. */
export function Chart({ option, class: cls, label, onReady, onClick, ...rest }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p: any) => click.current?.(p));
    const ro = new ResizeObserver(() => {
      const box = el.current;
      // A container being removed reports a zero size; ECharts' geo layout cannot handle it.
      if (!c.isDisposed() && box && box.isConnected && box.clientWidth > 0 && box.clientHeight > 0) c.resize();
    });
    ro.observe(el.current!);
    onReady?.(c);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={el} class={cls} role="img" aria-label={label} {...rest} />;
}
