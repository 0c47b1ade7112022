// ECharts, tree-shaken: only what the dashboard draws. The district outline is
// bundled (no map tiles, nothing loaded from outside).
import * as echarts from 'echarts/core';
import { ScatterChart, LineChart, BarChart, GraphChart } from 'echarts/charts';
import {
  GeoComponent,
  TooltipComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  AriaComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import outline from './geo/jingyue.json';

echarts.use([
  ScatterChart,
  LineChart,
  BarChart,
  GraphChart,
  GeoComponent,
  TooltipComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  AriaComponent,
  CanvasRenderer,
]);

echarts.registerMap('jingyue', outline as any);

export { echarts };
export type ECharts = echarts.ECharts;
