<?php
/**
 * Settings → civickit: the server's address and the default town, for administrators only
 * (`manage_options`). The server address decides where pages load a script from, so it is
 * never an option of the block or the shortcode, which every author may write.
 *
 * @package CivicKit
 */

namespace CivicKit;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const PAGE = 'civickit';

function register_settings(): void {
	register_setting(
		PAGE,
		OPTION_SERVER,
		array(
			'type'              => 'string',
			'default'           => '',
			'sanitize_callback' => __NAMESPACE__ . '\\sanitize_server',
		)
	);
	register_setting(
		PAGE,
		OPTION_TENANT,
		array(
			'type'              => 'string',
			'default'           => '',
			'sanitize_callback' => __NAMESPACE__ . '\\sanitize_tenant',
		)
	);
	add_settings_section( 'civickit-connection', __( 'Connection', 'civickit' ), __NAMESPACE__ . '\\connection_intro', PAGE );
	add_settings_field(
		OPTION_SERVER,
		__( 'Address of the civickit server', 'civickit' ),
		__NAMESPACE__ . '\\text_field',
		PAGE,
		'civickit-connection',
		array(
			'label_for'   => OPTION_SERVER,
			'type'        => 'url',
			'placeholder' => 'https://buerger.example.de',
			'description' => __( 'Where your civickit server answers, without a path, e.g. https://buerger.example.de. Pages with a widget load it from there.', 'civickit' ),
		)
	);
	add_settings_field(
		OPTION_TENANT,
		__( 'Default town (short name)', 'civickit' ),
		__NAMESPACE__ . '\\text_field',
		PAGE,
		'civickit-connection',
		array(
			'label_for'   => OPTION_TENANT,
			'type'        => 'text',
			'placeholder' => 'musterstadt',
			'description' => __( 'Your town’s short name in civickit, as in the office page’s embed code. Blocks and shortcodes without a town show this one.', 'civickit' ),
		)
	);
}

function add_settings_page(): void {
	add_options_page( __( 'civickit', 'civickit' ), 'civickit', 'manage_options', PAGE, __NAMESPACE__ . '\\settings_page' );
}

/**
 * A "Settings" link beside the plugin on the plugins page.
 *
 * @param array<int|string, string> $links The plugin's links.
 * @return array<int|string, string>
 */
function settings_link( array $links ): array {
	$url = admin_url( 'options-general.php?page=' . PAGE );
	array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'civickit' ) . '</a>' );
	return $links;
}

/**
 * The server address as its origin, or, with an error on the page, the address as it was.
 *
 * @param mixed $value What the form sent.
 */
function sanitize_server( $value ): string {
	$value = is_string( $value ) ? trim( $value ) : '';
	if ( '' === $value ) {
		return '';
	}
	$origin = server_origin( $value );
	if ( null === $origin ) {
		refuse( OPTION_SERVER, __( 'The server address must look like https://buerger.example.de: http or https, a host, no path. The address was not changed.', 'civickit' ) );
		return (string) get_option( OPTION_SERVER, '' );
	}
	if ( 'https' === wp_parse_url( home_url(), PHP_URL_SCHEME ) && str_starts_with( $origin, 'http:' ) ) {
		refuse( OPTION_SERVER, __( 'This site is served over https, and browsers load nothing from an http address into it. Please give the https address. The address was not changed.', 'civickit' ) );
		return (string) get_option( OPTION_SERVER, '' );
	}
	return $origin;
}

/**
 * The default town's short name, or, with an error on the page, the one it was.
 *
 * @param mixed $value What the form sent.
 */
function sanitize_tenant( $value ): string {
	$value = is_string( $value ) ? strtolower( trim( $value ) ) : '';
	if ( '' === $value || is_short_name( $value ) ) {
		return $value;
	}
	refuse( OPTION_TENANT, __( 'A town’s short name has only lowercase letters, digits and dashes, e.g. musterstadt. The town was not changed.', 'civickit' ) );
	return (string) get_option( OPTION_TENANT, '' );
}

/** Shows `$message` as an error above the form, once (WordPress may sanitize twice). */
function refuse( string $setting, string $message ): void {
	if ( ! get_settings_errors( $setting ) ) {
		add_settings_error( $setting, $setting . '-invalid', $message, 'error' );
	}
}

function connection_intro(): void {
	echo '<p>' . esc_html__( 'Your town’s civickit administrator knows both values; civickit’s office page shows them under “Einbinden” (“Embed”).', 'civickit' ) . '</p>';
}

/**
 * One labelled input with its description (label_for gives the label; the description is tied
 * to the input for screen readers).
 *
 * @param array<string, string> $field label_for, type, placeholder, description.
 */
function text_field( array $field ): void {
	$name = $field['label_for'];
	printf(
		'<input type="%1$s" class="regular-text code" id="%2$s" name="%2$s" value="%3$s" placeholder="%4$s" aria-describedby="%2$s-description" spellcheck="false" autocomplete="off">'
		. '<p class="description" id="%2$s-description">%5$s</p>',
		esc_attr( $field['type'] ),
		esc_attr( $name ),
		esc_attr( (string) get_option( $name, '' ) ),
		esc_attr( $field['placeholder'] ),
		esc_html( $field['description'] )
	);
}

function settings_page(): void {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	$examples = array(
		'[civickit widget="reports"]'               => __( 'the defect reporter with its map', 'civickit' ),
		'[civickit widget="mailbox"]'               => __( 'the citizen mailbox', 'civickit' ),
		'[civickit widget="poll" poll="spielplatz"]' => __( 'a poll, by its short name', 'civickit' ),
		'[civickit widget="stats"]'                 => __( 'how quickly the town handles reports (processing statistics)', 'civickit' ),
		'[civickit widget="reports" lang="en"]'     => __( 'in English (de or en; without it, the site’s language)', 'civickit' ),
		'[civickit widget="reports" tenant="…"]'    => __( 'another town than the default one', 'civickit' ),
	);
	?>
	<div class="wrap">
		<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
		<form action="options.php" method="post">
			<?php
			settings_fields( PAGE );
			do_settings_sections( PAGE );
			submit_button();
			?>
		</form>
		<h2><?php esc_html_e( 'In posts and pages', 'civickit' ); ?></h2>
		<p><?php esc_html_e( 'Add the block “civickit widget”, or write a shortcode. Both work for authors and contributors too.', 'civickit' ); ?></p>
		<ul>
			<?php foreach ( $examples as $code => $meaning ) : ?>
				<li><code><?php echo esc_html( $code ); ?></code>: <?php echo esc_html( $meaning ); ?></li>
			<?php endforeach; ?>
		</ul>
	</div>
	<?php
}
