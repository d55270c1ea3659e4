// The Leaflet that citizens download with <civic-reports>: Leaflet 1.9.4's own sources
// (www/node_modules/leaflet/src), only the parts the widget uses, bundled by esbuild into the
// same global `L` as Leaflet's dist/leaflet.js (`cargo xtask build`, crates/xtask/src/wasm.rs).
// The full dist/leaflet.js is 42.5 KB gzipped; a third of it is code the widget never runs
// (GeoJSON, the SVG renderer, image and video overlays, tooltips, the layers and scale
// controls, box zoom, other projections). The office keeps the full build
// (/widgets/leaflet-full.js): leaflet.markercluster and its GeoJSON areas need the rest.
//
// What the widget (crates/widgets/src/reports/map.rs, through the `leaflet` crate) needs:
// a Map with drag, keyboard, wheel, double-click and pinch zoom; the zoom and attribution
// controls; a TileLayer; the Canvas renderer with CircleMarker, Polygon and Polyline; a
// FeatureGroup; a draggable Marker with a DivIcon; popups. Adding a Leaflet call to the widget
// means checking that its class is exported here (the browser tests fail otherwise).

// core, DOM helpers, geometry: everything else builds on them
export { default as Browser } from 'leaflet/src/core/Browser.js';
export { Class } from 'leaflet/src/core/Class.js';
export { Evented } from 'leaflet/src/core/Events.js';
export { Handler } from 'leaflet/src/core/Handler.js';
import * as Util from 'leaflet/src/core/Util.js';
export { Util };
export { extend, bind, stamp, setOptions } from 'leaflet/src/core/Util.js';
import * as DomEvent from 'leaflet/src/dom/DomEvent.js';
import * as DomUtil from 'leaflet/src/dom/DomUtil.js';
export { DomEvent, DomUtil };
export { PosAnimation } from 'leaflet/src/dom/PosAnimation.js';
export { Draggable } from 'leaflet/src/dom/Draggable.js';
export { Point, toPoint as point } from 'leaflet/src/geometry/Point.js';
export { Bounds, toBounds as bounds } from 'leaflet/src/geometry/Bounds.js';
export { Transformation } from 'leaflet/src/geometry/Transformation.js';
export { LatLng, toLatLng as latLng } from 'leaflet/src/geo/LatLng.js';
export { LatLngBounds, toLatLngBounds as latLngBounds } from 'leaflet/src/geo/LatLngBounds.js';

// the one projection web maps use (Leaflet's default CRS)
import { CRS } from 'leaflet/src/geo/crs/CRS.js';
import { Earth } from 'leaflet/src/geo/crs/CRS.Earth.js';
import { EPSG3857 } from 'leaflet/src/geo/crs/CRS.EPSG3857.js';
CRS.Earth = Earth;
CRS.EPSG3857 = EPSG3857;
export { CRS };

// the map and the handlers a citizen uses (mouse, touch, keyboard); no box zoom, no tap-hold
import { Map, createMap } from 'leaflet/src/map/Map.js';
import { DoubleClickZoom } from 'leaflet/src/map/handler/Map.DoubleClickZoom.js';
import { Drag } from 'leaflet/src/map/handler/Map.Drag.js';
import { Keyboard } from 'leaflet/src/map/handler/Map.Keyboard.js';
import { ScrollWheelZoom } from 'leaflet/src/map/handler/Map.ScrollWheelZoom.js';
import { TouchZoom } from 'leaflet/src/map/handler/Map.TouchZoom.js';
Map.DoubleClickZoom = DoubleClickZoom;
Map.Drag = Drag;
Map.Keyboard = Keyboard;
Map.ScrollWheelZoom = ScrollWheelZoom;
Map.TouchZoom = TouchZoom;
export { Map, createMap as map };

// controls: zoom buttons and the tiles' attribution (a licence duty of the tile source)
import { Control, control } from 'leaflet/src/control/Control.js';
import { Zoom, zoom } from 'leaflet/src/control/Control.Zoom.js';
import { Attribution, attribution } from 'leaflet/src/control/Control.Attribution.js';
Control.Zoom = Zoom;
Control.Attribution = Attribution;
control.zoom = zoom;
control.attribution = attribution;
export { Control, control };

// layers
export { Layer } from 'leaflet/src/layer/Layer.js';
export { LayerGroup, layerGroup } from 'leaflet/src/layer/LayerGroup.js';
export { FeatureGroup, featureGroup } from 'leaflet/src/layer/FeatureGroup.js';
export { DivOverlay } from 'leaflet/src/layer/DivOverlay.js';
export { Popup, popup } from 'leaflet/src/layer/Popup.js';
export { GridLayer, gridLayer } from 'leaflet/src/layer/tile/GridLayer.js';
export { TileLayer, tileLayer } from 'leaflet/src/layer/tile/TileLayer.js';
import { Icon, icon } from 'leaflet/src/layer/marker/Icon.js';
import { IconDefault } from 'leaflet/src/layer/marker/Icon.Default.js';
Icon.Default = IconDefault;
export { Icon, icon };
export { DivIcon, divIcon } from 'leaflet/src/layer/marker/DivIcon.js';
export { Marker, marker } from 'leaflet/src/layer/marker/Marker.js';

// vectors, drawn on a canvas only (the widget sets preferCanvas and passes its renderer)
export { Renderer } from 'leaflet/src/layer/vector/Renderer.js';
export { Canvas, canvas } from 'leaflet/src/layer/vector/Canvas.js';
export { Path } from 'leaflet/src/layer/vector/Path.js';
export { CircleMarker, circleMarker } from 'leaflet/src/layer/vector/CircleMarker.js';
export { Polyline, polyline } from 'leaflet/src/layer/vector/Polyline.js';
export { Polygon, polygon } from 'leaflet/src/layer/vector/Polygon.js';
import { canvas as makeCanvas } from 'leaflet/src/layer/vector/Canvas.js';

// Leaflet's Renderer.getRenderer.js, with the canvas as the only renderer: it would import
// the SVG renderer just to fall back to it when `preferCanvas` is off.
Map.include({
  getRenderer: function (layer) {
    var renderer =
      layer.options.renderer || this._getPaneRenderer(layer.options.pane) ||
      this.options.renderer || this._renderer;
    if (!renderer) {
      renderer = this._renderer = this._createRenderer();
    }
    if (!this.hasLayer(renderer)) {
      this.addLayer(renderer);
    }
    return renderer;
  },
  _getPaneRenderer: function (name) {
    if (name === 'overlayPane' || name === undefined) {
      return false;
    }
    var renderer = this._paneRenderers[name];
    if (renderer === undefined) {
      renderer = this._createRenderer({ pane: name });
      this._paneRenderers[name] = renderer;
    }
    return renderer;
  },
  _createRenderer: function (options) {
    return makeCanvas(options);
  },
});

export var version = '1.9.4';
