<?php
/**
 * Plugin Name:       civickit
 * Description:       The participation widgets of your town's civickit server (defect reporter, citizen mailbox, polls, processing statistics) as a block and a shortcode, for every role that writes posts.
 * Version:           1.0.0
 * Requires at least: 6.1
 * Requires PHP:      8.1
 * Author:            civickit
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       civickit
 * Domain Path:       /languages
 *
 * Why a plugin at all: WordPress removes <script> and unknown elements from the posts of
 * authors and contributors (kses), so the pasted embed code only works for administrators.
 * The block and the shortcode carry no markup; this plugin writes the element when the page
 * is rendered and adds the loader once, only to pages that show a widget.
 *
 * @package CivicKit
 */

namespace CivicKit;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const VERSION = '1.0.0';
const PLUGIN_FILE = __FILE__;

require_once __DIR__ . '/includes/options.php';
require_once __DIR__ . '/includes/widget.php';
require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/block.php';

add_action( 'init', __NAMESPACE__ . '\\load_texts', 1 );
add_action( 'init', __NAMESPACE__ . '\\register_widget' );
add_action( 'init', __NAMESPACE__ . '\\register_block' );
add_action( 'admin_init', __NAMESPACE__ . '\\register_settings' );
add_action( 'admin_menu', __NAMESPACE__ . '\\add_settings_page' );
add_filter( 'plugin_action_links_' . plugin_basename( __FILE__ ), __NAMESPACE__ . '\\settings_link' );

/** The German texts (languages/civickit-de_DE.mo), before the block's title is translated. */
function load_texts(): void {
	load_plugin_textdomain( 'civickit', false, dirname( plugin_basename( PLUGIN_FILE ) ) . '/languages' );
}
