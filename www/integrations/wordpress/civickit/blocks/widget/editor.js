/**
 * The block "civickit widget" in the editor: the options as a small form. The widget itself
 * is drawn on the published page (render.php), where the town's loader runs. Plain
 * JavaScript on WordPress's globals, so the plugin needs no build step.
 */
( function ( blocks, element, blockEditor, components ) {
	'use strict';
	var el = element.createElement;
	var T = window.civickitBlock;

	function choices( names ) {
		return Object.keys( names ).map( function ( value ) {
			return { value: value, label: names[ value ] };
		} );
	}

	blocks.registerBlockType( 'civickit/widget', {
		edit: function ( props ) {
			var a = props.attributes;
			function set( name ) {
				return function ( value ) {
					var change = {};
					change[ name ] = value;
					props.setAttributes( change );
				};
			}
			var controls = [
				el( components.SelectControl, {
					key: 'widget',
					label: T.widget,
					value: a.widget,
					options: choices( T.widgets ),
					onChange: set( 'widget' ),
				} ),
				el( components.TextControl, {
					key: 'tenant',
					label: T.tenant,
					help: T.tenantHelp,
					value: a.tenant,
					onChange: set( 'tenant' ),
				} ),
				a.widget === 'poll' &&
					el( components.TextControl, {
						key: 'poll',
						label: T.poll,
						help: T.pollHelp,
						value: a.poll,
						onChange: set( 'poll' ),
					} ),
				el( components.SelectControl, {
					key: 'lang',
					label: T.lang,
					value: a.lang,
					options: [
						{ value: '', label: T.siteLanguage },
						{ value: 'de', label: 'Deutsch' },
						{ value: 'en', label: 'English' },
					],
					onChange: set( 'lang' ),
				} ),
			];
			return el(
				'div',
				blockEditor.useBlockProps(),
				el(
					components.Placeholder,
					{ icon: 'location-alt', label: T.title, instructions: T.note },
					// One column: the placeholder would set its controls side by side.
					el( 'div', { style: { width: '100%' } }, controls )
				)
			);
		},
		// Drawn on the server: the post stores only the comment with the options.
		save: function () {
			return null;
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components );
