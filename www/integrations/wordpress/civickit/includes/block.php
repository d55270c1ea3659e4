<?php
/**
 * The block "civickit widget": block.json holds its options, render.php draws it on the server
 * through render(), editor.js is plain JavaScript on WordPress's own globals (no build step).
 *
 * @package CivicKit
 */

namespace CivicKit;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const EDITOR_SCRIPT = 'civickit-block-editor';

function register_block(): void {
	$dependencies = array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components' );
	wp_register_script( EDITOR_SCRIPT, plugins_url( 'blocks/widget/editor.js', PLUGIN_FILE ), $dependencies, VERSION, true );
	// The editor's words come from PHP's translations, so the German .mo is the only file.
	wp_add_inline_script( EDITOR_SCRIPT, 'window.civickitBlock = ' . wp_json_encode( editor_texts() ) . ';', 'before' );
	register_block_type( dirname( __DIR__ ) . '/blocks/widget' );
}

/**
 * The words and defaults the block editor shows.
 *
 * @return array<string, mixed>
 */
function editor_texts(): array {
	$tenant = default_tenant();
	return array(
		'title'        => __( 'civickit widget', 'civickit' ),
		'widget'       => __( 'Widget', 'civickit' ),
		'widgets'      => array(
			'reports' => __( 'Defect reporter', 'civickit' ),
			'mailbox' => __( 'Citizen mailbox', 'civickit' ),
			'poll'    => __( 'Poll', 'civickit' ),
			'stats'   => __( 'Processing statistics', 'civickit' ),
		),
		'tenant'       => __( 'Town (short name)', 'civickit' ),
		'tenantHelp'   => '' !== $tenant
			/* translators: %s: the default town's short name */
			? sprintf( __( 'Empty: %s, the default town from Settings → civickit.', 'civickit' ), $tenant )
			: __( 'No default town is set in Settings → civickit yet.', 'civickit' ),
		'poll'         => __( 'Poll (short name)', 'civickit' ),
		'pollHelp'     => __( 'As in the embed code on civickit’s office page.', 'civickit' ),
		'lang'         => __( 'Language', 'civickit' ),
		'siteLanguage' => __( 'Language of this site', 'civickit' ),
		'note'         => __( 'The widget appears here on the published page.', 'civickit' ),
	);
}
