// Only the ECharts parts the app draws with: line charts (and the forecast view's residual scatter and
// histogram, the sweep view's parallel coordinates) on a canvas, with their axes and helpers.
// (Imported as `echarts/core.js`: the lint zone that keeps src/core out of the renderer matches a bare `*/core`.)
import { init, use, type ECharts } from 'echarts/core.js';
import { BarChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, ParallelComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, ScatterChart, ParallelChart, ParallelComponent, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, MarkAreaComponent, DataZoomComponent, CanvasRenderer]);

export { init, type ECharts };
