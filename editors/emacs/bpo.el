;;; bpo.el --- bpolang contracts (.bpo) in Emacs, with the bpo language server through eglot  -*- lexical-binding: t; -*-

;; A major mode for *.bpo files (`#' comments, the two-space indentation of `bpo fmt', braces
;; and strings) and the language server `bpo lsp' through eglot: the diagnostics of `bpo check'
;; as you type (flymake), completion, hover (eldoc), go to definition, references, rename,
;; formatting, quick fixes, inlay hints and the outline (imenu).
;;
;; Needs Emacs 28 or later and eglot: built into Emacs 29; on Emacs 28, from GNU ELPA
;; (M-x package-install RET eglot) or Debian's elpa-eglot.  Copy this file into your load-path
;; and add to your init file:
;;
;;     (require 'bpo)
;;     (add-hook 'bpo-mode-hook #'eglot-ensure)
;;
;; Set `bpo-lsp-command' to start another executable, for example a virtual environment's:
;;
;;     (setq bpo-lsp-command '("/path/to/.venv/bin/bpo" "lsp"))

;;; Code:

(when (version< emacs-version "28")
  (error "bpo.el needs Emacs 28 or later (this is %s)" emacs-version))

(require 'eglot)

(defgroup bpo nil "bpolang contracts." :group 'languages :prefix "bpo-")

(defcustom bpo-lsp-command '("bpo" "lsp")
  "The command that starts the bpolang language server."
  :type '(repeat string))

(defvar bpo-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?\" "\"" table)
    table)
  "Syntax of .bpo contracts: `#' comments to the end of the line, `_' inside ids.")

(defun bpo-indent-line ()
  "Indent the line by two spaces per open brace before it, as `bpo fmt' lays it out."
  (interactive)
  (let ((depth (save-excursion
                 (beginning-of-line)
                 (car (syntax-ppss)))))
    (save-excursion
      (back-to-indentation)
      (when (looking-at "[]})]") (setq depth (1- depth))))
    (indent-line-to (* 2 (max depth 0)))))

;;;###autoload
(define-derived-mode bpo-mode prog-mode "bpo"
  "Major mode for bpolang contracts (.bpo files)."
  :syntax-table bpo-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*")
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width 2)
  (setq-local indent-line-function #'bpo-indent-line))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.bpo\\'" . bpo-mode))

(add-to-list 'eglot-server-programs `(bpo-mode . ,(lambda (&rest _) bpo-lsp-command)))

(provide 'bpo)
;;; bpo.el ends here
